import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

/** Headless Chromium (Debian's `chromium`; `.ci/run` installs it when missing), or TARN_CHROMIUM. */
const CHROMIUM = process.env.TARN_CHROMIUM ?? '/usr/bin/chromium';
const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`Browser tests NOT RUN: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/** Screenshots of each page, for people to look at (not committed). */
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');

describeBrowser('web pages in a real browser (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  /** Console errors (CSP violations among them) and uncaught exceptions of every page. */
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** `watched`: its console errors count as problems (not for a page that is shown a mistake on purpose). */
  async function newPage(width: number, height: number, watched = true): Promise<Page> {
    context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    if (!watched) return page;
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    return page;
  }

  async function signIn(page: Page): Promise<string> {
    await page.goto(`${base}/sign-in`);
    await page.fill('input[name=email]', ADMIN_EMAIL);
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/logged-in-user`);
    await page.waitForSelector('#profile:not([hidden])');
    return (await page.textContent('#token'))!.trim();
  }

  const me = (token: string) => fetch(`${base}/api/v1/users/me`, { headers: { Authorization: token } });

  it('signs in, and the profile shows the user, a working token with its expiry and a curl line', async () => {
    // A wrong password first: the browser reports the 401 on its console, as it should.
    const mistaken = await newPage(1280, 800, false);
    await mistaken.goto(`${base}/sign-in`);
    await mistaken.fill('input[name=email]', ADMIN_EMAIL);
    await mistaken.fill('input[name=password]', 'not the password');
    await mistaken.click('button[type=submit]');
    await mistaken.locator('#error', { hasText: 'Wrong email or password.' }).waitFor();
    await context.close();

    const page = await newPage(1280, 800);
    await page.goto(`${base}/sign-in`);
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-1280.png'), fullPage: true });
    const token = await signIn(page);
    expect((await me(token)).status).toBe(200);
    expect(page.url()).not.toContain(token);
    expect(await page.textContent('#email')).toBe(ADMIN_EMAIL);
    expect(await page.textContent('#roles')).toContain('admin');
    expect(await page.textContent('#expires')).toMatch(/\d{4}-\d\d-\d\dT/);
    const curl = (await page.textContent('#curl'))!;
    expect(curl).toBe(`curl -H "Authorization: ${token}" ${base}/api/v1/sessions`);
    // The curl line works as shown.
    const listed = await fetch(`${base}/api/v1/sessions`, { headers: { Authorization: token } });
    expect(listed.status).toBe(200);
    await page.screenshot({ path: join(ARTIFACTS, 'profile-1280.png'), fullPage: true });

    // Tokens carry their issue time in seconds: a fresh one, a second later, differs and expires later.
    const expires = await page.textContent('#expires');
    await page.waitForTimeout(1100);
    await page.click('#fresh-token');
    let fresh = token;
    for (let i = 0; i < 100 && fresh === token; i++, await page.waitForTimeout(50)) {
      fresh = (await page.textContent('#token'))!.trim();
    }
    expect(fresh).not.toBe(token);
    expect(await page.textContent('#expires')).not.toBe(expires);
    expect((await me(fresh)).status).toBe(200);

    await page.click('#sign-out');
    await page.waitForURL(`${base}/sign-in`);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.goto(`${base}/logged-in-user`);
    await page.waitForURL(`${base}/sign-in`);
    await context.close();
  }, 60_000);

  it('fits a narrow (400 px) window', async () => {
    const page = await newPage(400, 800);
    await signIn(page);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'profile-400.png'), fullPage: true });
    await page.goto(`${base}/ui/sessions`);
    await page.locator('#sessions').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'sessions-400.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('serves the pages and assets with revalidation and the same security headers as the API', async () => {
    for (const path of ['/sign-in', '/logged-in-user', '/web/assets/profile.js', '/web/styles.css']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect((await fetch(`${base}/web/assets/nothing.js`)).status).toBe(404);
  });

  it('Swagger UI: Authorize with the token, then Try it out on GET /api/v1/sessions answers 200', async () => {
    const page = await newPage(1280, 800);
    const token = await signIn(page);
    await page.goto(`${base}/api/docs`);
    await page.click('.btn.authorize');
    await page.fill('.auth-container input', token);
    await page.click('.auth-btn-wrapper .authorize');
    await page.click('.btn-done');
    const operation = page.locator('.opblock', { has: page.locator('[data-path="/api/v1/sessions"]') });
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('.execute').click();
    const status = operation.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())!.trim()).toBe('200');
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-1280.png'), fullPage: false });
    await context.close();
  }, 60_000);

  it('the sessions page lists, creates and deletes sessions', async () => {
    const page = await newPage(1280, 800);
    await signIn(page);
    await page.goto(`${base}/ui/sessions`);
    await page.fill('#create input[name=name]', 'from the browser');
    await page.click('#create button[type=submit]');
    const row = page.locator('#sessions tbody tr', { hasText: 'from the browser' });
    await row.waitFor();
    const id = Number(await row.getAttribute('data-session-id'));
    const token = await t.token();
    const stored = await t.http().get('/api/v1/session').set('Authorization', token).set('session_id', String(id));
    expect(stored.body.session_name).toBe('from the browser');
    expect(await row.locator('td').nth(3).textContent()).toBe('no run');
    await page.screenshot({ path: join(ARTIFACTS, 'sessions-1280.png'), fullPage: true });
    page.once('dialog', (dialog) => dialog.accept());
    await row.locator('button.danger').click();
    await row.waitFor({ state: 'detached' });
    const gone = await t.http().get('/api/v1/session').set('Authorization', token).set('session_id', String(id));
    expect(gone.status).toBe(404);
    await context.close();
  }, 60_000);

  it('the session page of the solved basic model shows its topology, objective and run log', async () => {
    const token = await t.token();
    const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const model = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(id))
      .send(model);
    expect(put.status).toBe(200);
    const results = (
      await t.http().get('/api/v1/model?isInput=false').set('Authorization', token).set('session_id', String(id))
    ).body;
    const objective = results.model.objective.average_objective;

    for (const [width, height] of [
      [1280, 800],
      [400, 800],
    ]) {
      const page = await newPage(width, height);
      await signIn(page);
      await page.goto(`${base}/ui/sessions/${id}`);
      await page.locator('#topology[data-types]').waitFor();
      const types = JSON.parse((await page.getAttribute('#topology', 'data-types'))!);
      expect(types).toEqual({ reservoir: 2, plant: 2, generator: 6, gate: 4, market: 1 });
      expect(Number(await page.getAttribute('#topology', 'data-edges'))).toBeGreaterThanOrEqual(12);
      const grandTotal = page.locator('#objective tr[data-name=grand_total] td');
      expect(Number(await grandTotal.getAttribute('data-value'))).toBe(objective.grand_total);
      expect(await page.locator('#objective tr[data-name=solver_status] td').textContent()).toBe('optimal');
      await page.locator('#log li', { hasText: 'Objective: grand_total' }).waitFor();
      // Each plot holds its series with the points of GET /model (72 hours; storage and level 73 states).
      const series = async (chart: string) =>
        JSON.parse((await page.getAttribute(`#${chart}`, 'data-series'))!) as Record<
          string,
          { points: number; sum: number }
        >;
      const expectSeries = async (chart: string, expected: Record<string, number[]>) => {
        const shown = await series(chart);
        expect(Object.keys(shown).sort()).toEqual(Object.keys(expected).sort());
        for (const [name, values] of Object.entries(expected)) {
          expect(shown[name].points).toBe(values.length);
          expect(shown[name].sum).toBeCloseTo(
            values.reduce((a, b) => a + b, 0),
            6,
          );
        }
      };
      const out = results.model;
      const values = (txy: { values: number[][] }) => txy.values[0];
      await expectSeries('chart-storage', {
        Reservoir1: values(out.reservoir.Reservoir1.storage),
        Reservoir2: values(out.reservoir.Reservoir2.storage),
      });
      expect(values(out.reservoir.Reservoir1.storage)).toHaveLength(73);
      await expectSeries('chart-level', {
        Reservoir1: values(out.reservoir.Reservoir1.head),
        Reservoir2: values(out.reservoir.Reservoir2.head),
      });
      const price = values(model.model.market.Day_ahead.sale_price);
      await expectSeries('chart-production', {
        Plant1: values(out.plant.Plant1.production),
        Plant2: values(out.plant.Plant2.production),
        // The price is drawn on to the end of the horizon: its last value once more.
        'Day_ahead sale_price': [...price, price.at(-1)!],
      });
      expect(values(out.plant.Plant1.production)).toHaveLength(72);
      await expectSeries('chart-market', {
        'Day_ahead sale': values(out.market.Day_ahead.sale),
        'Day_ahead buy': values(out.market.Day_ahead.buy).map((v: number) => -v),
      });
      await expectSeries('chart-commitment', {
        committed: Object.values(out.generator).flatMap((g) => values((g as Json).committed_out)),
      });
      for (const chart of ['chart-storage', 'chart-level', 'chart-production', 'chart-market', 'chart-commitment']) {
        expect(await page.locator(`#${chart} canvas`).count()).toBeGreaterThan(0);
      }
      // One scenario everywhere: no band, no choice of how to draw scenarios.
      expect(await page.isVisible('#scenario-display')).toBe(false);
      expect(await page.textContent('#run')).toMatch(/^Run \d+: done/);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(ARTIFACTS, `session-${width}.png`), fullPage: true });
      await context.close();
    }
  }, 90_000);

  it('the session page draws a 3-scenario price as a band with its weighted mean, or a line per scenario', async () => {
    const token = await t.token();
    const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const model = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
    const price: number[] = model.model.market.Day_ahead.sale_price.values[0];
    // The scenarios share the first hour (as a stochastic model's branches do), then part.
    const shifted = (by: number) => price.map((v, i) => (i === 0 ? v : v + by));
    const scenarios = [price, shifted(6), shifted(-3)];
    model.model.market.Day_ahead.sale_price.values = scenarios;
    const probability = (p: number) => ({ timestamps: [model.time.start_time], values: [[p]] });
    model.model.scenario = {
      S1: { scenario_id: 1, probability: probability(0.5) },
      S2: { scenario_id: 2, probability: probability(0.25) },
      S3: { scenario_id: 3, probability: probability(0.25) },
    };
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(id))
      .send(model);
    expect(put.status).toBe(200);

    const page = await newPage(1280, 800);
    await signIn(page);
    await page.goto(`${base}/ui/sessions/${id}`);
    const production = page.locator('#chart-production[data-series]');
    await production.waitFor();
    const shown = async () =>
      JSON.parse((await production.getAttribute('data-series'))!) as Record<string, { points: number; sum: number }>;
    // The price is drawn on to the end of the horizon: each series' last value once more.
    const total = (values: number[]) => values.reduce((a, b) => a + b, 0) + values.at(-1)!;
    const expectSeries = (series: Record<string, { points: number; sum: number }>, name: string, values: number[]) => {
      expect(series[name]?.points).toBe(values.length + 1);
      expect(series[name].sum).toBeCloseTo(total(values), 6);
    };

    expect(await page.isVisible('#scenario-display')).toBe(true);
    let series = await shown();
    expect(series['Day_ahead sale_price']).toBeUndefined();
    // The mean weighs the scenarios 0.5, 0.25, 0.25 (a plain mean would be price + 1).
    expectSeries(series, 'Day_ahead sale_price mean', shifted(0.75));
    expectSeries(series, 'Day_ahead sale_price min', shifted(-3));
    // The band's upper edge is stacked on the lower one by its width; its tooltip value is the maximum.
    expectSeries(series, 'Day_ahead sale_price max', shifted(6));
    await page.screenshot({ path: join(ARTIFACTS, 'session-scenarios-band-1280.png'), fullPage: true });
    await production.screenshot({ path: join(ARTIFACTS, 'chart-scenarios-band.png') });

    await page.check('#scenario-lines');
    await page.locator('#chart-production[data-series*="Day_ahead sale_price S1"]').waitFor();
    series = await shown();
    expect(Object.keys(series).filter((name) => name.startsWith('Day_ahead sale_price'))).toEqual([
      'Day_ahead sale_price S1',
      'Day_ahead sale_price S2',
      'Day_ahead sale_price S3',
    ]);
    scenarios.forEach((values, s) => expectSeries(series, `Day_ahead sale_price S${s + 1}`, values));
    for (const chart of ['chart-storage', 'chart-level', 'chart-production', 'chart-market', 'chart-commitment']) {
      expect(await page.locator(`#${chart} canvas`).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'session-scenarios-lines-1280.png'), fullPage: true });
    await production.screenshot({ path: join(ARTIFACTS, 'chart-scenarios-lines.png') });

    await page.uncheck('#scenario-lines');
    await page.locator('#chart-production[data-series*="Day_ahead sale_price mean"]').waitFor();
    await context.close();
  }, 60_000);

  it('the run log follows a run in progress, and the page shows how it ended', async () => {
    const token = await t.token();
    const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const model = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
    const { commands: _commands, ...inputs } = model;
    await t.http().put('/api/v1/model').set('Authorization', token).set('session_id', String(id)).send(inputs);
    const page = await newPage(1280, 800);
    await signIn(page);
    await page.goto(`${base}/ui/sessions/${id}`);
    await page.locator('#log li', { hasText: 'Model updated' }).waitFor();
    expect(await page.textContent('#run')).toBe('No run yet');
    const put = await t
      .http()
      .put('/api/v1/model?wait=false')
      .set('Authorization', token)
      .set('session_id', String(id))
      .send({ commands: model.commands });
    expect(put.status).toBe(202);
    // Without reloading: the page polls the log and the run.
    await page.locator('#log li', { hasText: 'Objective: grand_total' }).waitFor({ timeout: 20_000 });
    await page.locator('#run', { hasText: 'done' }).waitFor({ timeout: 10_000 });
    // ... and the results of the run that ended.
    await page.locator('#objective tr[data-name=grand_total]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#chart-storage canvas').count()).toBeGreaterThan(0);
    await context.close();
  }, 60_000);

  it('no page logged a console error or a Content-Security-Policy violation', () => {
    expect(problems).toEqual([]);
  });
});
