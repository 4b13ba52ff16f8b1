import { runRedirectSuite } from './redirect-suite.ts';

runRedirectSuite('postgres');
