import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../errors.js';
import { errorResponses } from '../../schemas/common.js';
import { GeoDistricts, GeoStates, StateDistricts } from '../../schemas/geo.js';

const geoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/geo/states',
    {
      schema: {
        tags: ['geography'],
        summary: 'States, with Hindi names where known',
        response: {
          200: GeoStates,
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      const states = await app.db
        .selectFrom('state')
        .select(['id', 'code', 'name', 'name_hi as nameHi'])
        .orderBy('name')
        .execute();
      return { states };
    },
  );

  app.get(
    '/geo/districts',
    {
      schema: {
        tags: ['geography'],
        summary: "Every district with its state and centroid: the current list, with any an admin's import added",
        response: {
          200: GeoDistricts,
        },
      },
    },
    async (_request, reply) => {
      // Read afresh each time: an admin's import must reach the pickers and the map on the next read.
      reply.header('cache-control', 'no-cache');
      const districts = await app.db
        .selectFrom('district')
        .select(['id', 'state_id as stateId', 'name', 'name_hi as nameHi', 'lat', 'lng'])
        .orderBy('id')
        .execute();
      return { districts };
    },
  );

  app.get(
    '/geo/states/:stateId/districts',
    {
      schema: {
        tags: ['geography'],
        summary: 'Districts of a state, with their centroids',
        params: Type.Object({ stateId: Type.Integer({ minimum: 1, maximum: 99 }) }),
        response: {
          200: StateDistricts,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const districts = await app.db
        .selectFrom('district')
        .select(['id', 'name', 'lat', 'lng'])
        .where('state_id', '=', request.params.stateId)
        .orderBy('name')
        .execute();
      if (!districts.length) throw notFound('state');
      reply.header('cache-control', 'public, max-age=3600');
      return { districts };
    },
  );
};

export default geoRoutes;
