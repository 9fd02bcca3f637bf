/**
 * The officers' planning API: staff administration, sites, session days and their teams, CSV imports.
 * Every route needs an officer's role and acts only within the officer's jurisdiction.
 */
import type { FastifyPluginAsync } from 'fastify';
import importRoutes from './import.js';
import sessionDayRoutes from './session-days.js';
import siteRoutes from './sites.js';
import staffRoutes from './staff.js';

const planningRoutes: FastifyPluginAsync = async (app) => {
  await app.register(staffRoutes);
  await app.register(siteRoutes);
  await app.register(sessionDayRoutes);
  // Its own encapsulated context: the text/csv body parser it adds stays with it.
  await app.register(importRoutes);
};

export default planningRoutes;
