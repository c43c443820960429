import 'reflect-metadata';
import { loadGatewaySettings, maskUrl } from '@aeo/config';
import { NestFactory } from '@nestjs/core';
import { openGatewayDatabase } from './database.js';
import { GatewayModule } from './gateway.module.js';

const settings = loadGatewaySettings();
const dataSource = await openGatewayDatabase(settings.databaseUrl);
const app = await NestFactory.create(GatewayModule.create(settings, dataSource), { bufferLogs: false });
app.enableShutdownHooks();
await app.listen(settings.port, settings.host);
console.log(`gateway listening on http://${settings.host}:${settings.port} (database ${maskUrl(settings.databaseUrl)})`);
