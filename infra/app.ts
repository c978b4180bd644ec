/**
 * The CDK app: `npx cdk synth|deploy` runs this file (cdk.json). Context values (-c key=value,
 * see docs/deploy.md): account, region [ap-southeast-1], mailDomain, mailFrom, alarmEmail,
 * corsOrigins (comma-separated), appUrl, bundle [true], authDomainPrefix, consoleDomainName,
 * consoleCertificateArn, consoleDevOrigin. Nothing here looks anything up in an account, so synth
 * works offline; cdk.json builds web/dist first (local/build-console.ts).
 */
import { App } from 'aws-cdk-lib';
import { JixiaoStack, addComplianceChecks, propsFromContext } from './stack';

const app = new App();
new JixiaoStack(app, 'Jixiao', propsFromContext(app));
addComplianceChecks(app);
app.synth();
