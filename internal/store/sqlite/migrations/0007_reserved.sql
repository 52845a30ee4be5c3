-- 0007: placeholder on branch refresh only. Migration 0007 belongs to another
-- branch; this file exists so that 0008 applies here (versions run without
-- gaps). The lead drops it when the branch that owns 0007 is merged.
SELECT 1;
