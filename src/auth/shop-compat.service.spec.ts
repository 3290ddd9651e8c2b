import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { Repository } from 'typeorm';
import { ConfigError, loadConfig } from '../config/tarn-config.js';
import type { User } from './entities/user.entity.js';
import { COMPAT_USER_CACHE_MS, ShopCompatService } from './shop-compat.service.js';

const EMAIL = 'pyshop@tarn.test';

function userRow(overrides: Partial<User> = {}): User {
  return {
    id: 4,
    email: EMAIL,
    active: true,
    roles: ['user'],
    accountId: 2,
    account: { id: 2, name: 'Scripts' },
    ...overrides,
  } as User;
}

function setup(env: Record<string, string> = { TARN_SHOP_COMPAT_USER: EMAIL }) {
  const state: { row: User | null } = { row: userRow() };
  const findOneBy = jest.fn(async (_where: unknown) => state.row);
  const service = new ShopCompatService(loadConfig([], env), { findOneBy } as unknown as Repository<User>);
  return { service, state, findOneBy };
}

const request = (method: string, path: string, ip: string | undefined = '::ffff:127.0.0.1') =>
  ({ method, path, ip }) as unknown as Request;

describe(ShopCompatService.name, () => {
  describe('anonymousUser', () => {
    it('acts as the compatibility user, marked shopCompat, on a SHOP Server path from a trusted network', async () => {
      const { service, findOneBy } = setup();
      await expect(service.anonymousUser(request('POST', '/session'))).resolves.toEqual({
        id: 4,
        email: EMAIL,
        accountId: 2,
        accountName: 'Scripts',
        roles: ['user'],
        shopCompat: true,
      });
      expect(findOneBy).toHaveBeenCalledWith({ email: EMAIL });
    });

    it('takes nobody when the mode is off', async () => {
      const { service, findOneBy } = setup({});
      expect(service.enabled).toBe(false);
      await expect(service.anonymousUser(request('POST', '/session'))).resolves.toBeUndefined();
      expect(findOneBy).not.toHaveBeenCalled();
    });

    it.each([
      ['GET', '/api/v1/sessions', '127.0.0.1'],
      ['GET', '/metrics', '127.0.0.1'],
      ['GET', '/sessions', '10.0.0.1'],
      ['GET', '/sessions', '::ffff:192.168.0.1'],
      ['GET', '/sessions', undefined],
    ])('takes nobody for %s %s from %s', async (method, path, ip) => {
      const { service, findOneBy } = setup();
      const from = { method, path, ip } as unknown as Request; // ip undefined: the socket is gone
      await expect(service.anonymousUser(from)).resolves.toBeUndefined();
      expect(findOneBy).not.toHaveBeenCalled();
    });

    it('takes the client networks from TARN_SHOP_COMPAT_NETWORKS', async () => {
      const { service } = setup({ TARN_SHOP_COMPAT_USER: EMAIL, TARN_SHOP_COMPAT_NETWORKS: '10.0.0.0/8' });
      await expect(service.anonymousUser(request('GET', '/sessions', '10.1.2.3'))).resolves.toMatchObject({ id: 4 });
      await expect(service.anonymousUser(request('GET', '/sessions', '127.0.0.1'))).resolves.toBeUndefined();
    });

    it('answers 401 naming the reason when the compatibility user is deactivated or gone', async () => {
      const { service, state } = setup();
      state.row = userRow({ active: false });
      await expect(service.anonymousUser(request('GET', '/sessions'))).rejects.toThrow(/is deactivated; send a token/);
      const other = setup();
      other.state.row = null;
      await expect(other.service.anonymousUser(request('GET', '/sessions'))).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
    });

    describe('the cached user', () => {
      beforeEach(() => {
        jest.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') });
      });
      afterEach(() => {
        jest.useRealTimers();
      });

      it('is read once for many calls, and again once COMPAT_USER_CACHE_MS have passed', async () => {
        const { service, state, findOneBy } = setup();
        await Promise.all(Array.from({ length: 50 }, () => service.anonymousUser(request('GET', '/sessions'))));
        expect(findOneBy).toHaveBeenCalledTimes(1);

        state.row = userRow({ active: false });
        jest.advanceTimersByTime(COMPAT_USER_CACHE_MS - 1);
        await expect(service.anonymousUser(request('GET', '/sessions'))).resolves.toMatchObject({ id: 4 });
        jest.advanceTimersByTime(1);
        await expect(service.anonymousUser(request('GET', '/sessions'))).rejects.toThrow(/deactivated/);
        expect(findOneBy).toHaveBeenCalledTimes(2);
      });

      it('does not keep a database failure: the next call reads again', async () => {
        const { service, findOneBy } = setup();
        findOneBy.mockRejectedValueOnce(new Error('connection refused'));
        await expect(service.anonymousUser(request('GET', '/sessions'))).rejects.toThrow('connection refused');
        await expect(service.anonymousUser(request('GET', '/sessions'))).resolves.toMatchObject({ id: 4 });
        expect(findOneBy).toHaveBeenCalledTimes(2);
      });
    });
  });

  describe('checkAtStart', () => {
    it('passes a plain, active user without warnings, and does nothing when the mode is off', async () => {
      await expect(setup().service.checkAtStart()).resolves.toEqual([]);
      const off = setup({});
      await expect(off.service.checkAtStart()).resolves.toEqual([]);
      expect(off.findOneBy).not.toHaveBeenCalled();
    });

    it.each([
      ['no user has that email', null],
      ['that user is deactivated', userRow({ active: false })],
    ])('refuses the start (ConfigError) when %s', async (reason, row) => {
      const { service, state } = setup();
      state.row = row;
      const error = await service.checkAtStart().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        expect.stringContaining(`TARN_SHOP_COMPAT_USER (${EMAIL}) must name an existing, active user: ${reason}`),
      ]);
    });

    it.each([
      ['admin', /is an admin: they see every session/],
      ['account-admin', /is an account-admin: they see the account's sessions/],
    ] as const)('warns when the user is an %s', async (role, warning) => {
      const { service, state } = setup();
      state.row = userRow({ roles: [role] });
      const warnings = await service.checkAtStart();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(warning);
      expect(warnings[0]).toContain('use a plain user');
    });
  });
});
