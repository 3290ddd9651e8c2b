import { Injectable } from '@nestjs/common';
import { PACKAGE } from '../common/package-info.js';
import { API_VERSIONS, type ApiVersion } from '../common/api-versions.js';
import type { DeprecationInfoDto, ApiRootDto, ApiVersionDto } from './dto/api-root.dto.js';
import type { DeprecationPolicy } from '../config/deprecation-policy.js';
import { RouteTableService } from './route-table.service.js';

/** What /api and /api/<version> tell a client, from the route table and the policies. */
@Injectable()
export class ApiCatalogService {
  constructor(private readonly routes: RouteTableService) {}

  root(): ApiRootDto {
    return {
      server_version: PACKAGE.version,
      message:
        'For these API versions endpoints are available. An authentication token can be requested at: ' +
        '/api/requestAuthToken. For a list of services, see /api/docs',
      status: 200,
      versions: API_VERSIONS.filter((version) => {
        const policy = this.versionPolicy(version);
        return !policy || !this.routes.isSunset(policy);
      }),
    };
  }

  version(version: ApiVersion): ApiVersionDto {
    const policy = this.versionPolicy(version);
    return {
      version,
      status: policy ? 'deprecated' : 'live',
      deprecation: policy && this.describe(policy),
      endpoints: this.routes
        .routes()
        .filter((route) => route.version === version)
        .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
        .map((route) => ({
          method: route.method,
          path: route.path,
          deprecation: route.policy && this.describe(route.policy),
        })),
    };
  }

  describe(policy: DeprecationPolicy): DeprecationInfoDto {
    return {
      deprecation: policy.deprecation.toISOString(),
      sunset: policy.sunset?.toISOString(),
      sunset_active: this.routes.isSunset(policy),
      links: { ...policy.links } as Record<string, string>,
    };
  }

  private versionPolicy(version: ApiVersion): DeprecationPolicy | undefined {
    return this.routes.settings.rules.find((rule) => rule.target === version);
  }
}
