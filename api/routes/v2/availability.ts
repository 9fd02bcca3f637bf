import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { findAvailability } from '../../../db/repositories/availability.js';
import { findCentre, findCentresNear } from '../../../db/repositories/centres.js';
import { AppError, badRequest } from '../../errors.js';
import type { CowinRouteOptions } from '../../plugins/cowin-v2.js';
import {
  AcceptLanguage,
  BEARER,
  CentersResponse,
  CowinDate,
  CowinPincode,
  cowinBearerErrors,
  cowinPublicErrors,
  IdParam,
  NearbyCentersResponse,
  OneCenterResponse,
  SessionsResponse,
} from '../../schemas/cowin-v2.js';
import {
  parseCowinDate,
  toCalendarCenter,
  toCalendarCenters,
  toFlatSession,
  toNearbyCenter,
  wantsHindi,
} from '../../services/cowin-mapping.js';

/** Seats change by the second; a short public cache still absorbs refresh storms from notifier apps. */
const PUBLIC_AVAILABILITY_CACHE = 'public, max-age=30';
const PRIVATE_AVAILABILITY_CACHE = 'private, max-age=30';
const CALENDAR_DAYS = 7;

const ByPin = Type.Object({ pincode: CowinPincode, date: CowinDate });
const ByDistrict = Type.Object({ district_id: IdParam, date: CowinDate });
const ByCenter = Type.Object({ center_id: IdParam, date: CowinDate });
const ByLatLong = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  long: Type.Number({ minimum: -180, maximum: 180 }),
});

function queryDate(value: string): string {
  const date = parseCowinDate(value);
  if (!date) throw badRequest('INVALID_DATE', 'Invalid date; use DD-MM-YYYY');
  return date;
}

/**
 * Slot search by pincode or district, flat for one day (findBy*) or by centre for 7 days (calendarBy*). Public
 * under /appointment/sessions/public/, and the same four for logged-in callers under /appointment/sessions/.
 */
const availabilityRoutes: FastifyPluginAsyncTypebox<CowinRouteOptions> = async (
  app,
  { publicLimit, requireBearer },
) => {
  const variants = [
    {
      prefix: '/appointment/sessions/public',
      hooks: { onRequest: publicLimit },
      errors: cowinPublicErrors,
      cache: PUBLIC_AVAILABILITY_CACHE,
      security: undefined,
      note: '',
    },
    {
      prefix: '/appointment/sessions',
      // A Bearer token is no licence to loop: logged-in searches spend the same budget as public ones.
      hooks: { onRequest: publicLimit, preHandler: requireBearer },
      errors: cowinBearerErrors,
      cache: PRIVATE_AVAILABILITY_CACHE,
      security: BEARER,
      note: ' (logged in)',
    },
  ];

  const answer = <T>(reply: FastifyReply, cache: string, body: T) => {
    reply.header('cache-control', cache).header('vary', 'accept-language');
    return body;
  };

  /**
   * A shared search answer, serialised once by the route's own response schema and encoded once as UTF-8, then
   * sent as those bytes to every caller within the cache window: for a district's calendar, serialising it (and
   * then encoding a 97 KB string for each answer) was most of the request's cost.
   */
  const sharedSearch = async (reply: FastifyReply, cache: string, key: string, compute: () => Promise<object>) => {
    const { json } = await app.sharedAnswers(key, async () => {
      const serialised = reply.serialize(await compute());
      if (typeof serialised !== 'string') throw new Error('A slot search answer serialises to JSON text');
      return { json: Buffer.from(serialised, 'utf8') };
    });
    reply.header('cache-control', cache).header('vary', 'accept-language').type('application/json; charset=utf-8');
    return reply.send(json);
  };

  for (const v of variants) {
    app.get(
      `${v.prefix}/findByPin`,
      {
        ...v.hooks,
        schema: {
          tags: ['co-win availability'],
          summary: `Sessions at a pincode on a date, flat${v.note}`,
          security: v.security,
          querystring: ByPin,
          headers: AcceptLanguage,
          response: { 200: SessionsResponse, ...v.errors },
        },
      },
      async (request, reply) => {
        const query = { pincode: Number(request.query.pincode), fromDate: queryDate(request.query.date), days: 1 };
        const hindi = wantsHindi(request.headers['accept-language']);
        return sharedSearch(reply, v.cache, `v2:flat:${hindi}:${JSON.stringify(query)}`, async () => ({
          sessions: (await findAvailability(app.db, query)).map((s) => toFlatSession(s, hindi)),
        }));
      },
    );

    app.get(
      `${v.prefix}/findByDistrict`,
      {
        ...v.hooks,
        schema: {
          tags: ['co-win availability'],
          summary: `Sessions in a district on a date, flat${v.note}`,
          security: v.security,
          querystring: ByDistrict,
          headers: AcceptLanguage,
          response: { 200: SessionsResponse, ...v.errors },
        },
      },
      async (request, reply) => {
        const query = {
          districtId: Number(request.query.district_id),
          fromDate: queryDate(request.query.date),
          days: 1,
        };
        const hindi = wantsHindi(request.headers['accept-language']);
        return sharedSearch(reply, v.cache, `v2:flat:${hindi}:${JSON.stringify(query)}`, async () => ({
          sessions: (await findAvailability(app.db, query)).map((s) => toFlatSession(s, hindi)),
        }));
      },
    );

    app.get(
      `${v.prefix}/calendarByPin`,
      {
        ...v.hooks,
        schema: {
          tags: ['co-win availability'],
          summary: `Centres at a pincode with their sessions for 7 days${v.note}`,
          security: v.security,
          querystring: ByPin,
          headers: AcceptLanguage,
          response: { 200: CentersResponse, ...v.errors },
        },
      },
      async (request, reply) => {
        const query = {
          pincode: Number(request.query.pincode),
          fromDate: queryDate(request.query.date),
          days: CALENDAR_DAYS,
        };
        const hindi = wantsHindi(request.headers['accept-language']);
        return sharedSearch(reply, v.cache, `v2:calendar:${hindi}:${JSON.stringify(query)}`, async () => ({
          centers: toCalendarCenters(await findAvailability(app.db, query), hindi),
        }));
      },
    );

    app.get(
      `${v.prefix}/calendarByDistrict`,
      {
        ...v.hooks,
        schema: {
          tags: ['co-win availability'],
          summary: `Centres in a district with their sessions for 7 days${v.note}`,
          security: v.security,
          querystring: ByDistrict,
          headers: AcceptLanguage,
          response: { 200: CentersResponse, ...v.errors },
        },
      },
      async (request, reply) => {
        const query = {
          districtId: Number(request.query.district_id),
          fromDate: queryDate(request.query.date),
          days: CALENDAR_DAYS,
        };
        const hindi = wantsHindi(request.headers['accept-language']);
        return sharedSearch(reply, v.cache, `v2:calendar:${hindi}:${JSON.stringify(query)}`, async () => ({
          centers: toCalendarCenters(await findAvailability(app.db, query), hindi),
        }));
      },
    );
  }

  app.get(
    '/appointment/sessions/public/calendarByCenter',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win availability'],
        summary: 'One centre with its sessions for 7 days',
        querystring: ByCenter,
        headers: AcceptLanguage,
        response: { 200: OneCenterResponse, ...cowinPublicErrors },
      },
    },
    async (request, reply) => {
      const fromDate = queryDate(request.query.date);
      const centre = await findCentre(app.db, Number(request.query.center_id));
      if (!centre) throw new AppError('CENTRE_NOT_FOUND', 'No such vaccination center');
      const sessions = await findAvailability(app.db, { siteId: centre.id, fromDate, days: CALENDAR_DAYS });
      return answer(reply, PUBLIC_AVAILABILITY_CACHE, {
        centers: toCalendarCenter(centre, sessions, wantsHindi(request.headers['accept-language'])),
      });
    },
  );

  app.get(
    '/appointment/centers/public/findByLatLong',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win availability'],
        summary: 'Centres nearest a point (within about 50 km)',
        querystring: ByLatLong,
        headers: AcceptLanguage,
        response: { 200: NearbyCentersResponse, ...cowinPublicErrors },
      },
    },
    async (request, reply) => {
      const centres = await findCentresNear(app.db, { lat: request.query.lat, lng: request.query.long });
      const hindi = wantsHindi(request.headers['accept-language']);
      reply.header('cache-control', 'public, max-age=300').header('vary', 'accept-language');
      return { centers: centres.map((c) => toNearbyCenter(c, hindi)), ttl: 24 };
    },
  );
};

export default availabilityRoutes;
