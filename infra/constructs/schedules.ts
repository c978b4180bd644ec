/**
 * EventBridge Scheduler schedules, one per entry of infra/schedules.ts, in a schedule group of
 * their own. Each fires in Asia/Shanghai time with no flexible window and hands the job its
 * scheduled time (`<aws.scheduler.scheduled-time>`), from which the job computes its as-of date:
 * a retry or a late delivery computes the same date (SPEC §5).
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SCHEDULE_TIMEZONE, type ScheduleSpec } from '../schedules';
import { deadLetterQueue } from './dead-letters';

export const SCHEDULE_RETRY = { retryAttempts: 3, maxEventAge: Duration.hours(1) };

/**
 * Invokes a function, and may invoke only that function: the L2 LambdaInvoke target grants
 * through grantInvoke, which adds every version and alias (`arn:…:function:name:*`).
 */
class InvokeFunction extends ScheduleTargetBase implements scheduler.IScheduleTarget {
  private readonly fn: lambda.IFunction;

  constructor(fn: lambda.IFunction, props: ScheduleTargetBaseProps) {
    super(props, fn.functionArn);
    this.fn = fn;
  }

  protected addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}

export interface JobSchedulesProps {
  specs: ScheduleSpec[];
  /** The functions schedules may target, by their JOB_FUNCTIONS name. */
  targets: Record<string, lambda.IFunction>;
}

export class JobSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  /** Invocations the scheduler could not deliver after its retries. */
  readonly deadLetters: sqs.Queue;
  readonly schedules = new Map<string, scheduler.Schedule>();

  constructor(scope: Construct, id: string, props: JobSchedulesProps) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group');

    this.deadLetters = deadLetterQueue(
      this,
      'DeadLetters',
      "This queue is itself a dead-letter queue: EventBridge Scheduler's, for invocations it could not deliver. Its depth is alarmed on; a dead-letter queue of its own would only hide them further.",
    );

    const stack = Stack.of(this);
    for (const spec of props.specs) {
      const fn = props.targets[spec.target];
      if (!fn) throw new Error(`Schedule ${spec.name} targets ${spec.target}, which is not a job function`);

      // One role per schedule, assumable only by the scheduler on behalf of this group.
      const role = new iam.Role(this, `${spec.name}Role`, {
        description: `EventBridge Scheduler: ${spec.name} invokes ${spec.target}`,
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.group.scheduleGroupArn },
          },
        }),
      });

      const schedule = new scheduler.Schedule(this, spec.name, {
        scheduleName: spec.name,
        scheduleGroup: this.group,
        description: spec.description,
        schedule: scheduler.ScheduleExpression.expression(spec.expression, TimeZone.of(SCHEDULE_TIMEZONE)),
        timeWindow: scheduler.TimeWindow.off(),
        target: new InvokeFunction(fn, {
          role,
          deadLetterQueue: this.deadLetters,
          ...SCHEDULE_RETRY,
          input: scheduler.ScheduleTargetInput.fromObject({
            job: spec.job ?? spec.name,
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
            asOfOffsetDays: spec.asOfOffsetDays,
          }),
        }),
      });
      this.schedules.set(spec.name, schedule);
    }
  }
}
