import { pino } from 'pino';

export const createLogger = (level: string) =>
  pino({ level, base: { service: 'rental-marketplace' }, redact: ['req.headers.authorization', 'req.headers.cookie'] });
