/**
 * The single table's shape, in one place: the CDK stack builds the table from it and the local
 * runtime and tests create DynamoDB Local's table from it, so the two cannot drift.
 */
import type { CreateTableCommandInput } from '@jixiao/aws-sdk';

export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  /**
   * The table's stream: what each change looks like after it. The outbox function reads it
   * (event source mapping filtered on new email items; shared/aws/outbox-stream.ts), and so
   * does the local stream reader (local/stream-reader.ts).
   */
  streamView: 'NEW_IMAGE',
  /** Overloaded, sparse global secondary indexes; keys.ts says which entity uses which. */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  ],
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
