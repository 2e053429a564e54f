package sqlite

/*
// SQLite's own, from go-sqlite3's build of it.
int sqlite3_config(int, ...);
long long sqlite3_memory_used(void);
static int borderwatch_memstatus_off(void) { return sqlite3_config(9, 0); } // SQLITE_CONFIG_MEMSTATUS
*/
import "C"

// SQLite counts the memory it allocates under one lock for the whole
// process unless told not to before its first connection: with requests
// on both cores, a tenth of their time went in waiting for that lock.
// Nothing here reads the counts.
func init() { C.borderwatch_memstatus_off() }

// memoryCounted is what SQLite has counted of its memory in use: 0 when
// it counts none.
func memoryCounted() int64 { return int64(C.sqlite3_memory_used()) }
