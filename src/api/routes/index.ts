import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { registerActivitiesRoutes } from './activities.routes.ts';
import { registerAuditRoutes } from './audit.routes.ts';
import { registerAuthRoutes } from './auth.routes.ts';
import { registerClassificationRoutes } from './classification.routes.ts';
import { registerCustomersRoutes } from './customers.routes.ts';
import { registerDashboardRoutes } from './dashboard.routes.ts';
import { registerExportsRoutes } from './exports.routes.ts';
import { registerImportsRoutes } from './imports.routes.ts';
import { registerPrivacyRoutes } from './privacy.routes.ts';
import { registerRulesRoutes } from './rules.routes.ts';
import { registerSchemesRoutes } from './schemes.routes.ts';
import { registerUsersRoutes } from './users.routes.ts';

/** Every resource's routes, each file registering its own paths under /api/v1. */
export async function registerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerAuthRoutes(app, deps);
  await registerUsersRoutes(app, deps);
  await registerAuditRoutes(app, deps);
  await registerCustomersRoutes(app, deps);
  await registerActivitiesRoutes(app, deps);
  await registerPrivacyRoutes(app, deps);
  await registerImportsRoutes(app, deps);
  await registerSchemesRoutes(app, deps);
  await registerClassificationRoutes(app, deps);
  await registerExportsRoutes(app, deps);
  await registerDashboardRoutes(app, deps);
  await registerRulesRoutes(app, deps);
}
