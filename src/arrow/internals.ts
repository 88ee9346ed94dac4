/**
 * The parts of apache-arrow outside its main entry that Fastlane uses (the IPC writer's
 * assembler and message header). Everything else imports 'apache-arrow' directly. The build
 * (scripts/vendor-arrow.mjs) bundles apache-arrow into one file and points both there, so each
 * thread loads one module instead of ~250 and every object comes from the same classes.
 */
export { VectorAssembler } from 'apache-arrow/visitor/vectorassembler';
export { RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
