/**
 * The alarms that say a job or a request failed, and the topic they publish to. Every alarm is
 * "at least one in five minutes": none of these should ever happen, so one is worth a look.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { denyGrantsExceptForAwsServices } from './keys';

const PERIOD = Duration.minutes(5);

export interface JixiaoAlarmsProps {
  /** Subscribed to the topic by email when given (the address must confirm). */
  email?: string;
}

export class JixiaoAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: JixiaoAlarmsProps) {
    super(scope, id);
    // A customer managed key, because CloudWatch cannot publish to a topic encrypted with the
    // AWS managed aws/sns key: its key policy cannot be changed to let CloudWatch use it.
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Jixiao alarm topic',
      enableKeyRotation: true,
      // Alarm notifications are not kept anywhere: nothing is lost with the key.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    denyGrantsExceptForAwsServices(this.key);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Jixiao alarms', masterKey: this.key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new actions.SnsAction(this.topic);
  }

  /** Alarms when the metric's statistic reaches 1 in a five-minute period. */
  atLeastOne(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** `Sum` of a count metric over the alarm period. */
  static sum(metric: cloudwatch.Metric): cloudwatch.Metric {
    return metric.with({ statistic: cloudwatch.Stats.SUM, period: PERIOD });
  }

  /** `Maximum` of a gauge (a queue's depth) over the alarm period. */
  static max(metric: cloudwatch.Metric): cloudwatch.Metric {
    return metric.with({ statistic: cloudwatch.Stats.MAXIMUM, period: PERIOD });
  }
}
