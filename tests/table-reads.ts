/**
 * Watching how a table is read, below Dexie (a DBCore middleware, so upgrade transactions are seen
 * too): queries only, each counted, and any of them can be made to fail. Reads by cursor or by key
 * list fail, so a test can't miss an unbounded read.
 */
import type { DBCore, Dexie } from 'dexie';

export interface QueryWatch {
  /** Before each query; an error returned fails it. */
  before?(): Error | undefined;
  /** After each query, with the number of rows it returned. */
  after?(rows: number): void;
}

/** Installs the watch on `db`; call before the database opens. */
export function watchQueries(db: Dexie, tableName: string, watch: QueryWatch): void {
  const refuse = (): Promise<never> =>
    Promise.reject(new Error(`${tableName} read other than by a query`));
  db.use({
    stack: 'dbcore',
    name: `watch-${tableName}`,
    create: (down: DBCore): Partial<DBCore> => ({
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== tableName) return table;
        return {
          ...table,
          async query(request) {
            const error = watch.before?.();
            if (error) throw error;
            const response = await table.query(request);
            watch.after?.(response.result.length);
            return response;
          },
          getMany: refuse,
          openCursor: refuse,
        };
      },
    }),
  });
}
