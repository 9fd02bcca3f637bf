import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { STATUS_CODES } from 'node:http';
import { AppError, refusalStatus } from '../errors.js';
import { DomainRefusal } from '../../domain/errors.js';

/** One place that turns errors into answers: clear 4xx messages, 5xx without internals. */
export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.statusCode).send({
        statusCode: error.statusCode,
        code: error.code,
        error: STATUS_CODES[error.statusCode] ?? 'Error',
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    if (error instanceof DomainRefusal) {
      const status = refusalStatus(error.code);
      return reply.status(status).send({
        statusCode: status,
        code: error.code,
        error: STATUS_CODES[status] ?? 'Error',
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      return reply.status(400).send({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        error: 'Bad Request',
        message: `invalid ${fastifyError.validationContext ?? 'request'}: ${fastifyError.message.replace(/^(body|querystring|params|headers)\/?/, '')}`,
      });
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({
        statusCode: status,
        code: fastifyError.code ?? 'BAD_REQUEST',
        error: STATUS_CODES[status] ?? 'Error',
        message: fastifyError.message,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(status >= 500 && status < 600 ? status : 500).send({
      statusCode: 500,
      code: 'INTERNAL',
      error: 'Internal Server Error',
      message: 'something went wrong on our side; it has been logged',
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      statusCode: 404,
      code: 'NOT_FOUND',
      error: 'Not Found',
      message: `no route for ${request.method} ${request.url.split('?')[0]}`,
    });
  });
});
