import { importQaSuite } from './import-qa-suite.ts';

importQaSuite('postgres');
