// The @nestjs/cqrs baseline: a real Nest application context with CqrsModule, a no-op command
// handler registered the way Nest apps register it (a provider found by CqrsModule's explorer),
// and CommandBus.execute as the call to measure. Nest 11+ ships ESM only, so it is loaded with
// import() from this CommonJS package; decorators are applied as the functions they are.

/** A ready Nest command bus with one no-op handler. */
export interface NestNoopBus {
  /** `commandBus.execute(command)` of the prebuilt no-op command. */
  execute(): Promise<unknown>;
  /** Closes the Nest application context. */
  close(): Promise<void>;
}

/** Boots a minimal Nest application context around `CqrsModule.forRoot()` and one no-op handler. */
export async function nestNoopCommandBus(): Promise<NestNoopBus> {
  const { Command, CommandBus, CommandHandler, CqrsModule } = await import('@nestjs/cqrs');
  const { Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');

  class NoopNestCommand extends Command<void> {}
  class NoopNestHandler {
    async execute(_command: NoopNestCommand): Promise<void> {}
  }
  CommandHandler(NoopNestCommand)(NoopNestHandler);
  class BenchModule {}
  Module({ imports: [CqrsModule.forRoot()], providers: [NoopNestHandler] })(BenchModule);

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const bus = app.get(CommandBus);
  const command = new NoopNestCommand();
  // Prove the wiring once, so a broken setup fails here instead of measuring an exception.
  await bus.execute(command);
  return { execute: () => bus.execute(command), close: () => app.close() };
}
