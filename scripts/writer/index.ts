// The writer: the only code that touches the generated tree.
export { applyPlan, type ApplyOptions } from './apply-plan.ts';
export { checkTree, formatCheck, type CheckEntry, type CheckOptions, type CheckResult, type CheckStatus } from './check-tree.ts';
export { sha256Hex } from './hash.ts';
export { installSignalHandlers, pendingSignal } from './interrupt.ts';
export { recoverInterruptedWrite } from './journal.ts';
export { acquireTreeLock, type TreeLock } from './lock.ts';
export { LEDGER_VERSION, makeLedger, parseLedger, serializeLedger, type Ledger, type LedgerEntry } from './ledger.ts';
export { pathProblem, STAGING_PREFIX, validateOutputPaths } from './output-path.ts';
export {
  planWrite,
  type ConflictKind,
  type PlannedDelete,
  type PlannedWrite,
  type PlanOptions,
  type WriteConflict,
  type WritePlan,
} from './plan-write.ts';
export { unifiedDiff } from './unified-diff.ts';
export { writeTree } from './write-tree.ts';
export { formatWriteReport, type WriteReport } from './write-report.ts';
export { nodeWriterFs, type WriterFs, type WriterStats } from './writer-fs.ts';
