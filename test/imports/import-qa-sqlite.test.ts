import { importQaSuite } from './import-qa-suite.ts';

importQaSuite('sqlite');
