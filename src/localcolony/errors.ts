// A failure that becomes a ColonyOS error envelope with this HTTP status and the server's exact text.
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): RpcError => new RpcError(400, message);
export const forbidden = (message: string): RpcError => new RpcError(403, message);
export const notFound = (message: string): RpcError => new RpcError(404, message);
export const internal = (message: string): RpcError => new RpcError(500, message);
