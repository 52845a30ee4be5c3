-- 0004: reserved for another branch's migration (migrations run without
-- gaps). Whoever merges that branch replaces this file with its own 0004.
SELECT 1;
