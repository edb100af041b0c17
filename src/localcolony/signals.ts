// Shared by the local colony and demo executor CLIs: Ctrl-C / SIGTERM stop the thing once, then exit.
export function stopOnSignals(what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string): void => {
    // A second Ctrl-C while stopping must not start a second shutdown.
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping ${what}...\n`);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Failed to stop cleanly: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}
