import type { IncomingMessage } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import typeIs from 'type-is';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { isShopApiPath, JSON_BODY_TYPES, YAML_BODY_TYPES } from './common/middleware/content-type.middleware.js';
import { completeOpenApi } from './common/openapi-completion.js';
import { PACKAGE } from './common/package-info.js';
import type { TarnConfig } from './config/tarn-config.js';
import { applyRoutePolicies } from './versioning/openapi-deprecations.js';
import { RouteTableService } from './versioning/route-table.service.js';
import { WEB_DIR } from './web/web.controller.js';

type Features = Parameters<typeof AppModule.forRoot>[1];

/** Builds the application exactly as `npm start` runs it (tests call this too). */
export async function createApp(config: TarnConfig, features: Features = []): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, features), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxyHops);
  app.disable('x-powered-by');
  // The SHOP API functions read Python's JSON (NaN, Infinity): as text, parsed by their controller.
  const json = (request: IncomingMessage) => Boolean(typeIs(request, JSON_BODY_TYPES));
  app.useBodyParser('text', {
    limit: config.http.bodyLimitBytes,
    type: (request: IncomingMessage) => json(request) && isShopApiPath(request),
  });
  app.useBodyParser('json', {
    limit: config.http.bodyLimitBytes,
    type: (request: IncomingMessage) => json(request) && !isShopApiPath(request),
  });
  // SHOP YAML for PUT /model, as text (ContentTypeMiddleware refuses it on other routes).
  app.useBodyParser('text', { limit: config.http.bodyLimitBytes, type: YAML_BODY_TYPES });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Swagger UI: its own scripts, inline styles, data: images.
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // Tarn is often reached over plain http inside a network; do not force https.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  // The web pages' scripts and styles; revalidated at each use (their names carry no hash).
  app.useStaticAssets(WEB_DIR, {
    prefix: '/web/',
    index: false,
    etag: true,
    setHeaders: (response) => response.setHeader('Cache-Control', 'no-cache'),
  });
  setupSwagger(app);
  await app.init();
  return app;
}

function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tarn')
      .setDescription(
        'Hydropower scheduling server: the SHOP Server REST API with FlexMeasures-style governance. ' +
          'Get a token at POST /api/requestAuthToken (or sign in at /sign-in and copy it from your profile ' +
          'page, /logged-in-user), then press "Authorize". Sessions in a browser: /ui/sessions.',
      )
      .setVersion(PACKAGE.version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  applyRoutePolicies(completeOpenApi(document), app.get(RouteTableService).routes());
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
