import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CowinRouteOptions } from '../../plugins/cowin-v2.js';
import {
  AcceptLanguage,
  cowinPublicErrors,
  DistrictsResponse,
  GendersResponse,
  IdParam,
  IdTypesResponse,
  StatesResponse,
} from '../../schemas/cowin-v2.js';
import {
  COWIN_GENDERS,
  COWIN_ID_TYPES,
  toCowinDistricts,
  toCowinStates,
  wantsHindi,
} from '../../services/cowin-mapping.js';

/** Reference data changes rarely: clients may keep it for the 5 minutes Co-WIN allowed. */
const METADATA_CACHE = 'public, max-age=300';

/** States, districts, photo-ID types and genders: public, cached, localised on request. */
const metadataRoutes: FastifyPluginAsyncTypebox<CowinRouteOptions> = async (app, { publicLimit }) => {
  app.get(
    '/admin/location/states',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win metadata'],
        summary: 'States',
        headers: AcceptLanguage,
        response: { 200: StatesResponse, ...cowinPublicErrors },
      },
    },
    async (request, reply) => {
      const states = await app.db.selectFrom('state').select(['id', 'name', 'name_hi']).orderBy('name').execute();
      reply.header('cache-control', METADATA_CACHE).header('vary', 'accept-language');
      return toCowinStates(states, wantsHindi(request.headers['accept-language']));
    },
  );

  app.get(
    '/admin/location/districts/:state_id',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win metadata'],
        summary: 'Districts of a state (empty for an unknown state)',
        params: Type.Object({ state_id: IdParam }),
        headers: AcceptLanguage,
        response: { 200: DistrictsResponse, ...cowinPublicErrors },
      },
    },
    async (request, reply) => {
      const districts = await app.db
        .selectFrom('district')
        .select(['id', 'name', 'name_hi'])
        .where('state_id', '=', Number(request.params.state_id))
        .orderBy('name')
        .execute();
      reply.header('cache-control', METADATA_CACHE).header('vary', 'accept-language');
      return toCowinDistricts(districts, wantsHindi(request.headers['accept-language']));
    },
  );

  app.get(
    '/registration/beneficiary/idTypes',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win metadata'],
        summary: 'Photo-ID types accepted at registration',
        response: { 200: IdTypesResponse, ...cowinPublicErrors },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', METADATA_CACHE);
      return { types: COWIN_ID_TYPES };
    },
  );

  app.get(
    '/registration/beneficiary/genders',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win metadata'],
        summary: 'Genders and their ids',
        response: { 200: GendersResponse, ...cowinPublicErrors },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', METADATA_CACHE);
      return { genders: COWIN_GENDERS.map(({ id, gender }) => ({ id, gender })) };
    },
  );
};

export default metadataRoutes;
