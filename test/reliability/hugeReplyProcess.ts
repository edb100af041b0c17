// Child process for the huge-reply test: calls getProcess against `http://127.0.0.1:<argv[2]>` and prints one JSON
// line {error} or {value}. Run apart from mocha because a client that crashes on such a reply takes its process down.
import { ColoniesClient, crypto } from '../../src/colonies/index';

const client = new ColoniesClient({ host: '127.0.0.1', port: Number(process.argv[2]), timeoutMs: 60_000 });
client
  .getProcess('a'.repeat(64), crypto.generatePrivateKey())
  .then(
    (value) => process.stdout.write(`${JSON.stringify({ value: String(value).slice(0, 100) })}\n`),
    (err: unknown) => process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })}\n`),
  )
  .finally(() => client.dispose());
