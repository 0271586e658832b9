/* newfile.c: a new file of the session directory (a plan version kept
 * beside the first, ...): created, never over anything, 0600, fsync'd. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int sess_write_new_file(const char *path, const char *data, size_t len, char **err)
{
	/* absent or whole after a kill or an error, never a stub that would
	 * refuse the next attempt */
	if (util_write_new_file(path, data, len, 0600) == 0)
		return 0;
	*err = errno == EEXIST ? xasprintf(_("cannot create %s: %s"), path, strerror(errno))
			       : xasprintf(_("cannot write %s: %s"), path, strerror(errno));
	return -1;
}
