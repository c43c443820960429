export { openGatewayDatabase } from '@aeo/schema';
