/** A digest of every item in the test's table, to prove a refused request changed nothing. */
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../shared/domain/hash';

let doc: DynamoDBDocumentClient | undefined;

export async function tableDigest(): Promise<{ items: number; digest: string }> {
  doc ??= DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const rows: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    // A Scan is fine here: a test table of a few hundred items, read only by the test.
    const out = await doc.send(new ScanCommand({ TableName: process.env.TABLE_NAME, ExclusiveStartKey: startKey, ConsistentRead: true }));
    for (const item of out.Items ?? []) rows.push(canonicalJson(item));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  rows.sort();
  return { items: rows.length, digest: createHash('sha256').update(rows.join('\n')).digest('hex') };
}
