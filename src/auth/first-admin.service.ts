import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { UsersService } from './users.service.js';

export const GENERATED_ADMIN_EMAIL = 'admin@tarn.local';

/**
 * The first admin: TARN_ADMIN_EMAIL/TARN_ADMIN_PASSWORD when set (created if missing),
 * otherwise, on an empty database only, admin@tarn.local with a generated password
 * that is printed once.
 */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminService.name);

  constructor(
    private readonly config: TarnConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword, adminAccount } = this.config.auth;
    if (adminEmail && adminPassword) {
      if (await this.users.findByEmail(adminEmail)) return;
      await this.users.create({
        email: adminEmail,
        password: adminPassword,
        accountName: adminAccount,
        roles: ['admin'],
      });
      this.logger.log(`Created the admin ${adminEmail} from TARN_ADMIN_EMAIL`);
      return;
    }
    if ((await this.users.count()) > 0) return;
    const email = adminEmail ?? GENERATED_ADMIN_EMAIL;
    const password = randomBytes(12).toString('base64url');
    await this.users.create({ email, password, accountName: adminAccount, roles: ['admin'] });
    // Printed once, to the console, so that it is not kept in structured log storage.
    process.stdout.write(
      `\n  Tarn created the first admin user.\n    email:    ${email}\n    password: ${password}\n` +
        `  It is shown only now. Change it with PATCH /api/v1/users/<id>, or set TARN_ADMIN_EMAIL/TARN_ADMIN_PASSWORD.\n\n`,
    );
  }
}
