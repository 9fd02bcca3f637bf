/** TypeBox schemas of liveness (/api/health) and readiness (/api/ready). */
import { Type } from 'typebox';

export const Health = Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeSeconds: Type.Number() });
export const Ready = Type.Object({ status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]) });
