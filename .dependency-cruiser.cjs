/**
 * Architecture rules, checked in CI (`npm run deps:check`). The domain is plain TypeScript:
 * no framework, ORM, broker, crypto or XML library, and no other lib of ours.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      comment: 'libs/domain must stay plain TypeScript (design.md): no Nest, TypeORM, AMQP, crypto, XML or schema libraries.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        path: [
          'node_modules/(@nestjs|typeorm|amqplib|amqp-connection-manager|jose|xml2js|libxmljs2|ajv|ajv-formats|pg|better-sqlite3|rxjs|reflect-metadata|yaml|pino)/',
          '^node:crypto$|^crypto$',
          '^libs/(?!domain/)',
          '^apps/',
        ],
      },
    },
    {
      name: 'domain-no-node-builtins',
      comment: 'the domain does no I/O',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'only-messaging-imports-amqp',
      comment: 'libs/messaging is the only place that talks AMQP (issue #4).',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: '^libs/messaging/|^apps/partner-sim/' },
      to: { path: 'node_modules/(amqplib|amqp-connection-manager)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
