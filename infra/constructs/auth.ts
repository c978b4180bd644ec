/**
 * The Cognito user pool that issues the API's JWTs. Roles are groups (`cognito:groups` in the
 * ID token) and a department officer's department is the custom attribute `custom:deptId`;
 * shared/http/claims.ts reads both. Users are created by an administrator, never by sign-up.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/domain/access';

const ROLE_DESCRIPTIONS: Record<(typeof ROLES)[number], string> = {
  department: 'Department officer: own department only (custom:deptId)',
  finance: 'Finance bureau: reads everything, reviews targets',
  performance: 'Performance office: runs the system, decides exemptions and appeals',
  expert: 'External expert: reviews targets',
};

export class JixiaoAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // Set by administrators only: the client below cannot write it (see writeAttributes).
      customAttributes: { deptId: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Every account can move money: a one-time password app is required (no SMS, no SMS role).
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is billed per monthly active user with no free tier; for a closed pool of bureau and department staff created by administrators, with self sign-up off, TOTP MFA required and 12-character passwords, the bureau has not chosen to pay for it. Set featurePlan PLUS with threat protection to adopt it.',
    });

    for (const role of ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: ROLE_DESCRIPTIONS[role] });
    }

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // The managed login's code flow is switched on by infra/constructs/console.ts, which knows
      // the console's callback and logout URLs (its CloudFront domain).
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('deptId'),
      // Never custom:deptId: a department officer who could write it could act for any department.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
  }
}
