import { apiViolations } from '../../lib/handlers/shared/api-limits';

/** One call a handler sent, as the AWS API sees it. */
export interface SentCall {
  /** `service:Operation`, the key of `API_LIMITS`. */
  readonly operation: string;
  readonly input: any;
}

/** The minimal view of an aws-sdk-client-mock mock this module needs. */
interface CallRecorder {
  calls(): Array<{ args: any[] }>;
}

/**
 * Every call a mocked client received (`mockClient(SageMakerClient)`), named `service:Operation` from the command's
 * class (`StartPipelineExecutionCommand` -> `sagemaker:StartPipelineExecution`).
 */
export function sentCalls(service: string, mock: CallRecorder): SentCall[] {
  return mock.calls().map((call) => {
    const command = call.args[0];
    return { operation: `${service}:${command.constructor.name.replace(/Command$/, '')}`, input: command.input };
  });
}

/** Every violation of the documented limits in `calls` (one line each); `[]` when all of them satisfy their members. */
export function violationsOf(calls: SentCall[]): string[] {
  return calls.flatMap((c) => apiViolations(c.operation, c.input));
}
