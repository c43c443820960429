/**
 * The floor of the recognition-over-HTTP benchmark: a bare Nest 12 application on Express,
 * JSON body parser with the gateway's 2 MiB limit, one POST /v1/recognitions route that
 * reads the body and answers a decision-sized JSON object. No guard, no service, no
 * database, no audit. Started as its own process by recognition-http-bench.ts; prints one
 * JSON line with its URL when it listens.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

interface RecognitionBody {
  readonly declaredAeoId?: string;
  readonly declarationReference?: string;
}

@Controller('v1/recognitions')
class BareRecognitionController {
  @Post()
  @HttpCode(200)
  recognise(@Body() body: RecognitionBody) {
    return {
      recognised: true,
      reasonCode: 'ACTIVE',
      declaredAeoId: body?.declaredAeoId ?? null,
      declarationReference: body?.declarationReference ?? null,
      partner: 'cn',
      programme: 'CN-GACC',
      aeoIdNormalized: body?.declaredAeoId ?? null,
      benefits: ['FEWER_INSPECTIONS', 'PRIORITY_CLEARANCE'],
      stale: false,
      evidence: { sourceMessageId: '00000000-0000-4000-8000-000000000000', storedAt: '2026-11-28T00:00:00Z' },
    };
  }
}

@Module({ controllers: [BareRecognitionController] })
class BareModule {}

const app = await NestFactory.create<NestExpressApplication>(BareModule, {
  logger: false,
  bodyParser: false,
});
app.useBodyParser('json', { limit: '2mb' });
await app.listen(0, '127.0.0.1');
const address = app.getHttpServer().address() as { port: number };
process.stdout.write(
  `${JSON.stringify({ message: 'bare nest started', url: `http://127.0.0.1:${address.port}` })}\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
