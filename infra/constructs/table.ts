/**
 * The single table, built from shared/aws/table-definition.ts (the same definition DynamoDB
 * Local's table is created from), so the deployed keys and indexes cannot drift from the code.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE } from '../../shared/aws/table-definition';

/**
 * What the functions do to items. No Scan (jobs query sparse or per-year indexes, STYLE.md),
 * no table-level operations. Transactions need no actions of their own: TransactWriteItems is
 * authorized by the Put/Update/Delete/ConditionCheck it contains, TransactGetItems by GetItem.
 */
export const ITEM_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
export const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];

export class JixiaoTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: key(TABLE.partitionKey),
      sortKey: key(TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // The bureau's budgets, ledger and audit trail: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      // The outbox function reads it (infra/constructs/outbox-stream.ts).
      stream: dynamodb.StreamViewType[TABLE.streamView],
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** The table and each of its indexes by name: no `index/*` wildcard. */
  private readArns(): string[] {
    return [this.table.tableArn, ...TABLE.indexes.map((index) => `${this.table.tableArn}/index/${index.name}`)];
  }

  grantReadItems(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ITEM_READ_ACTIONS, resources: this.readArns() }));
  }

  /** Reads on the table and its indexes; writes on the table (indexes cannot be written). */
  grantReadWriteItems(grantee: iam.IGrantable): void {
    this.grantReadItems(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ITEM_WRITE_ACTIONS, resources: [this.table.tableArn] }));
  }
}
