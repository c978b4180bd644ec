/** The pool area: allocate (the one write) and reads. */
export { allocate } from './allocate';
export { getAllocation, getPool, listAllocations } from './reads';
