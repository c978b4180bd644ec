/**
 * The outbox by stream: the table's stream (NEW_IMAGE) triggers the outbox function through an
 * event source mapping that lets only new email items through (a filter), reports partial batch
 * failures, halves a failing batch, retries it, and sends what still fails to a dead-letter
 * queue. Settings come from OUTBOX_STREAM (shared/aws/outbox-stream.ts), which the local stream
 * reader uses too. The scheduled dispatcher stays the backstop for retries and backoff.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTBOX_STREAM } from '../../shared/aws/outbox-stream';
import { deadLetterQueue } from './dead-letters';

export interface OutboxStreamProps {
  table: dynamodb.ITable;
  fn: lambda.IFunction;
}

export class OutboxStream extends Construct {
  /** Where the mapping puts the records of batches that failed every retry (their metadata, not the records). */
  readonly deadLetters: sqs.Queue;
  readonly mapping: lambda.EventSourceMapping;

  constructor(scope: Construct, id: string, props: OutboxStreamProps) {
    super(scope, id);
    this.deadLetters = deadLetterQueue(
      this,
      'DeadLetters',
      'This queue is itself the on-failure destination of the outbox stream mapping: it gets the batches of new-email records that failed every retry (their emails stay pending and the scheduled dispatcher sends them). Its depth is alarmed on.',
    );
    const streamArn = props.table.tableStreamArn;
    if (!streamArn || !props.fn.role) throw new Error('OutboxStream needs a table with a stream and a function with a role');
    // What Lambda's pollers call, on this stream only (DynamoEventSource would add
    // dynamodb:ListStreams on "*", which the pollers do not need).
    const read = new iam.Policy(this, 'StreamRead', {
      roles: [props.fn.role],
      statements: [
        new iam.PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [streamArn] }),
      ],
    });
    this.mapping = new lambda.EventSourceMapping(this, 'Mapping', {
      target: props.fn,
      eventSourceArn: streamArn,
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: OUTBOX_STREAM.batchSize,
      maxBatchingWindow: Duration.seconds(0),
      bisectBatchOnError: OUTBOX_STREAM.bisectBatchOnError,
      retryAttempts: OUTBOX_STREAM.retryAttempts,
      maxRecordAge: Duration.seconds(OUTBOX_STREAM.maxRecordAgeSeconds),
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.deadLetters),
      filters: [lambda.FilterCriteria.filter(OUTBOX_STREAM.filter as unknown as Record<string, unknown>)],
    });
    // Lambda checks the role when the mapping is created.
    this.mapping.node.addDependency(read);
  }
}
