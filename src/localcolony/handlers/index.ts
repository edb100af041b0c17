// Every RPC the local colony answers, keyed by payloadtype.
import type { Registry } from '../dispatch';
import { registerAttributeHandlers } from './attributes';
import { registerChannelHandlers } from './channels';
import { registerColonyHandlers } from './colonies';
import { registerFunctionHandlers } from './functions';
import { registerLogHandlers } from './logs';
import { registerMemberHandlers } from './members';
import { registerProcessHandlers } from './processes';
import { registerWorkflowHandlers } from './workflows';

export function buildRegistry(): Registry {
  const r: Registry = new Map();
  registerColonyHandlers(r);
  registerMemberHandlers(r);
  registerProcessHandlers(r);
  registerLogHandlers(r);
  registerWorkflowHandlers(r);
  registerChannelHandlers(r);
  registerFunctionHandlers(r);
  registerAttributeHandlers(r);
  return r;
}
