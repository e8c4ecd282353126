import * as espree from 'espree';
import noUnboundedConcurrency from '../../src/rules/no-unbounded-concurrency.js';
import preferConcurrentAwaits from '../../src/rules/prefer-concurrent-awaits.js';
import { testRule } from '../support/rule-tester.js';

/**
 * False-positive classes found by reviewing findings on real packages (`npm run corpus`, docs/precision.md), kept
 * as valid cases so they stay fixed. Plain JS under ESLint's default parser, as the packages ship it.
 */
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;

testRule('prefer-concurrent-awaits', preferConcurrentAwaits, {
  valid: [
    {
      name: 'typeorm@1.1.1 RdbmsSchemaBuilder: two reads through one query runner run on one connection, in a transaction',
      languageOptions: plainCommonJs,
      code: `class RdbmsSchemaBuilder {
  async build() {
    await this.queryRunner.startTransaction();
    try {
      const tablePaths = this.entityToSyncMetadatas.map((metadata) => this.getTablePath(metadata));
      const viewPaths = this.viewEntityToSyncMetadatas.map((metadata) => this.getTablePath(metadata));
      this.tables = await this.queryRunner.getTables(tablePaths);
      this.views = await this.queryRunner.getViews(viewPaths);
      await this.queryRunner.commitTransaction();
    } catch (error) {
      await this.queryRunner.rollbackTransaction();
      throw error;
    }
  }
}
module.exports = { RdbmsSchemaBuilder };`,
    },
    {
      name: 'a query runner passed in: its reads share one connection',
      languageOptions: plainCommonJs,
      code: `async function loadSchema(queryRunner, names) {
  const tables = await queryRunner.getTables(names);
  const views = await queryRunner.getViews(names);
  return { tables, views };
}
module.exports = { loadSchema };`,
    },
  ],
  invalid: [],
});

testRule('no-unbounded-concurrency', noUnboundedConcurrency, {
  valid: [
    {
      name: '@trpc/server unpromise: racing promises that already exist, each wrapped by a resolve, starts no work',
      languageOptions: plainCommonJs,
      code: `class Unpromise {
  static async race(values) {
    const valuesArray = Array.isArray(values) ? values : [...values];
    const subscribedPromises = valuesArray.map(Unpromise.resolve);
    try {
      return await Promise.race(subscribedPromises);
    } finally {
      subscribedPromises.forEach(({ unsubscribe }) => unsubscribe());
    }
  }
}
async function firstSettled(pending) {
  return Promise.any(pending.map((promise) => Promise.resolve(promise)));
}
module.exports = { Unpromise, firstSettled };`,
    },
  ],
  invalid: [],
});
