import { setFlagsFromString } from 'v8';

/**
 * Environment variable that keeps V8's default garbage collector settings (`1`), for measuring the difference
 * (`npm run bench` does).
 */
export const DEFAULT_GC_ENV = 'MLOPS_SYNTH_DEFAULT_GC';

/**
 * Turns off V8's concurrent marking in this process. The CloudFormation validator aws-cdk-lib runs at synth is a
 * WebAssembly engine that grows its memory in hundreds of small steps while it loads its schemas; with concurrent
 * marking on, V8 answers each step with a full garbage collection of the whole heap (about a thousand of them, and
 * the bigger the app's construct tree, the dearer each one), which made that one constructor most of a synth's CPU
 * time. Without it the engine starts with about a hundred collections, and every check runs exactly as before:
 * the flag changes when V8 collects garbage, never what the program computes.
 * Call it first thing in an app's entry point.
 */
export function reduceSynthGarbageCollection(): void {
  if (process.env[DEFAULT_GC_ENV] === '1') return;
  setFlagsFromString('--no-concurrent-marking');
}
