export * from './topology.js';
export * from './amqp-connection.js';
export * from './confirmed-publisher.js';
export * from './batch-consumer.js';
export * from './dead-letter-queue.js';
