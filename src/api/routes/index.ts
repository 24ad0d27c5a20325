import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { registerAuthRoutes } from './auth.routes.ts';

/** Every resource's routes, each file registering its own paths under /api/v1. */
export async function registerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerAuthRoutes(app, deps);
}
