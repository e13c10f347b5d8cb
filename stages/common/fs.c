/*
 * fs.c - paths and atomic writes.
 *
 *   wq_mkdirs()        mkdir -p
 *   wq_mkparent()      mkdir -p of a file's folder
 *   wq_exists()        1 if a path exists
 *   wq_tmpname()       a temporary name beside a final one
 *   wq_commit()        fsync a finished temporary file, rename it, fsync dir
 *   wq_write_atomic()  write a buffer under a final name, all or nothing
 *   wq_read_file()     read a whole (bounded) file
 *   wq_open_regular()  open for reading only what is a regular file, as
 *                      the descriptor says (never blocking on a FIFO)
 *   wq_remove()        unlink, ignoring ENOENT
 *   wq_workdir()       WORK_DIR is a folder (writable), or a message why not
 *   wq_resolve_new()   realpath() of a path that need not exist yet
 *   wq_dirs_check()    SCANS_DIR a folder, WORK_DIR not inside it
 *   wq_list_dir()      the names in a folder, in natural order
 *   wq_names_free()    frees what wq_list_dir() returned
 *   wq_rm_rf()         rm -rf, never following a link
 *   wq_clear_dead_tmp()  the temporary files of dead processes under a
 *                      folder, removed
 *
 * Every output of warraq appears under its final name only once it is
 * complete and on disk: a killed run or a full disk leaves at most a
 * ".tmp" file behind, never a half-written output a later stage trusts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wq.h"

/* wq_mkdirs: creates path and its missing parents (mode 0777 & umask). */
int
wq_mkdirs(const char *path)
{
	char *p = wq_xstrdup(path), *s;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) == -1 && errno != EEXIST) {
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return 0;
}

int
wq_mkparent(const char *path)
{
	char *p = wq_xstrdup(path);
	int   r = wq_mkdirs(dirname(p));

	free(p);
	return r;
}

int
wq_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * wq_tmpname: "DIR/.NAME.tmp.PID" beside path; the leading dot keeps
 * it out of listings of outputs, the pid keeps two writers apart.
 */
char *
wq_tmpname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return wq_xasprintf(".%s.tmp.%ld", path, (long)getpid());
	return wq_xasprintf("%.*s/.%s.tmp.%ld", (int)(slash - path), path,
	    slash + 1, (long)getpid());
}

static int
fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	int r;

	if (fd == -1)
		return -1;
	r = fsync(fd);
	/* Some file systems refuse fsync on a directory; that is not ours to fix. */
	if (r == -1 && (flags & O_DIRECTORY) && (errno == EINVAL || errno == EBADF))
		r = 0;
	close(fd);
	return r;
}

/*
 * wq_commit: tmp must be complete and closed.  On failure tmp is removed
 * and errno says why; path is then either absent or its old contents.
 */
int
wq_commit(const char *tmp, const char *path)
{
	char *dir;
	int   r, saved;

	if (fsync_path(tmp, O_RDONLY) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	dir = wq_xstrdup(path);
	r = fsync_path(dirname(dir), O_RDONLY | O_DIRECTORY);
	free(dir);
	return r;
}

int
wq_write_atomic(const char *path, const void *buf, size_t len)
{
	char       *tmp;
	const char *p = buf;
	int         fd, saved;

	if (wq_mkparent(path) == -1)
		return -1;
	tmp = wq_tmpname(path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd == -1)
		goto fail;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (wq_commit(tmp, path) == -1)
		goto fail;
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}

/*
 * wq_open_regular: path opened read-only, or -1 with errno set.  What
 * was opened must be a regular file, as fstat() says of the descriptor
 * (not stat() of the name, which can be swapped between the two): a FIFO
 * would block the open and the reads for ever, a device (/dev/zero) never
 * ends; for those errno is EINVAL.  The open does not block (O_NONBLOCK,
 * cleared once the file is known regular), and follows no link at the
 * last component when nofollow is set.  The caller closes the descriptor;
 * /proc/self/fd/N names that very file for libraries that open by name.
 */
int
wq_open_regular(const char *path, int nofollow)
{
	struct stat st;
	int         fd, fl;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
	    (nofollow ? O_NOFOLLOW : 0));
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		int saved = errno;

		close(fd);
		errno = S_ISREG(st.st_mode) ? saved : EINVAL;
		return -1;
	}
	return fd;
}

/*
 * wq_read_file: returns the contents NUL-terminated, or NULL with errno
 * set (EFBIG when the file is larger than max).  *lenp gets the length.
 */
char *
wq_read_file(const char *path, size_t max, size_t *lenp)
{
	FILE  *f = fopen(path, "rb");
	char  *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = wq_xrealloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len > max) {
			free(buf);
			fclose(f);
			errno = EFBIG;
			return NULL;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

int
wq_remove(const char *path)
{
	if (unlink(path) == -1 && errno != ENOENT)
		return -1;
	return 0;
}

/*
 * wq_workdir: a program given a WORK_DIR that is not there must say so,
 * not report an empty batch (a mistyped path, an unmounted disk); one
 * that cannot be written (read-only) must say so once, not fail every
 * page.  (As root only a read-only mount is refused: root may write.)
 */
int
wq_workdir(const char *work, int writing)
{
	struct stat st;

	if (stat(work, &st) == -1) {
		wq_warn(work, "cannot open the work directory");
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		wq_warnx(work, "not a folder (expected a work directory)");
		return -1;
	}
	if (writing && access(work, W_OK) == -1) {
		wq_warn(work, "cannot write to the work directory");
		return -1;
	}
	return 0;
}

/*
 * wq_dirs_check: scans is a readable folder and work (which need not
 * exist) is not inside it, checked before anything is written anywhere;
 * rscans (PATH_MAX bytes, may be NULL) gets scans resolved.  -1, said on
 * stderr, when not.
 */
int
wq_dirs_check(const char *scans, const char *work, char *rscans)
{
	char        rs[PATH_MAX], rwork[PATH_MAX];
	size_t      n;
	struct stat st;

	if (realpath(scans, rs) == NULL) {
		wq_warn(scans, "cannot read the scans folder");
		return -1;
	}
	if (stat(rs, &st) == -1 || !S_ISDIR(st.st_mode)) {
		wq_warnx(scans, "not a folder");
		return -1;
	}
	if (access(rs, R_OK | X_OK) == -1) {
		wq_warn(scans, "cannot read the scans folder");
		return -1;
	}
	if (wq_resolve_new(work, rwork) == -1) {
		wq_warn(work, "cannot resolve");
		return -1;
	}
	n = strlen(rs);
	if (strncmp(rwork, rs, n) == 0 &&
	    (rwork[n] == '\0' || rwork[n] == '/' || strcmp(rs, "/") == 0)) {
		wq_warnx(work, "must not be inside SCANS_DIR (sources are never "
		    "written to)");
		return -1;
	}
	if (stat(work, &st) == 0 && !S_ISDIR(st.st_mode)) {
		wq_warnx(work, "not a folder");
		return -1;
	}
	if (rscans != NULL)
		memcpy(rscans, rs, PATH_MAX);
	return 0;
}

/*
 * wq_resolve_new: realpath() of a path that need not exist yet: its deepest
 * existing ancestor resolved, then the missing components applied to it
 * ("." and ".." as mkdir -p would).  out holds PATH_MAX bytes.
 */
int
wq_resolve_new(const char *path, char *out)
{
	char  *cur = wq_xstrdup(path), *tail = wq_xstrdup(""), *slash, *t, *comp;
	size_t n;
	int    r = -1;

	if (*path == '\0') {
		errno = ENOENT;
		goto done;
	}
	while (realpath(cur, out) == NULL) {
		if (errno != ENOENT)
			goto done;
		n = strlen(cur);
		while (n > 1 && cur[n - 1] == '/')
			cur[--n] = '\0';
		slash = strrchr(cur, '/');
		comp = slash != NULL ? slash + 1 : cur;
		t = wq_xasprintf("%s%s%s", comp, *tail ? "/" : "", tail);
		free(tail);
		tail = t;
		if (slash == NULL)
			strcpy(cur, ".");
		else if (slash == cur)
			strcpy(cur, "/");
		else
			*slash = '\0';
	}
	for (comp = strtok_r(tail, "/", &t); comp != NULL;
	    comp = strtok_r(NULL, "/", &t)) {
		n = strlen(out);
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			slash = strrchr(out, '/');
			if (slash != NULL)
				slash[slash == out ? 1 : 0] = '\0';
			continue;
		}
		if (n + 1 + strlen(comp) >= PATH_MAX) {
			errno = ENAMETOOLONG;
			goto done;
		}
		if (n > 1 || out[0] != '/')
			out[n++] = '/';
		strcpy(out + n, comp);
	}
	r = 0;
done:
	free(cur);
	free(tail);
	return r;
}

/*
 * cmpname: natural order, then bytes: wq_natcmp() finds "01.tif" and
 * "1.tif" equal, and qsort() would then order them as readdir() did,
 * numbering pages differently from one run (or file system) to the next.
 */
static int
cmpname(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int         c = wq_natcmp(x, y);

	return c != 0 ? c : strcmp(x, y);
}

/*
 * wq_list_dir: the names in dir, but dotfiles and those keep (when not
 * NULL) refuses, in natural order (wq_natcmp, then bytes).  Returns an
 * array of *np names the caller frees with wq_names_free(); NULL with
 * *np = 0 for an empty or unreadable folder.
 */
char **
wq_list_dir(const char *dir, int (*keep)(const char *), size_t *np)
{
	DIR           *d = opendir(dir);
	struct dirent *e;
	char         **v = NULL;
	size_t         n = 0;

	*np = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (keep != NULL && !keep(e->d_name)))
			continue;
		v = wq_xrealloc(v, (n + 1) * sizeof(char *));
		v[n++] = wq_xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 0)	/* an empty folder: v is NULL, which qsort() may not get */
		qsort(v, n, sizeof(char *), cmpname);
	*np = n;
	return v;
}

void
wq_names_free(char **v, size_t n)
{
	while (n-- > 0)
		free(v[n]);
	free(v);
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

/* wq_rm_rf: path and everything under it, links removed, not followed. */
void
wq_rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * pid_alive: 1 when process pid runs; a zombie (dead, not yet reaped: in
 * a container whose first process reaps no orphans, a killed run's
 * workers stay so) does not.
 */
static int
pid_alive(pid_t pid)
{
	char  path[64], buf[512], *rp;
	FILE *f;
	int   alive = 1;

	if (kill(pid, 0) == -1 && errno == ESRCH)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) != NULL) {
		buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
		fclose(f);
		/* "PID (NAME) STATE ...": NAME may hold anything, ")" too */
		if ((rp = strrchr(buf, ')')) != NULL && rp[1] == ' ' &&
		    (rp[2] == 'Z' || rp[2] == 'X'))
			alive = 0;
	}
	return alive;
}

/*
 * dead_tmp: 1 when a name is one of wq_tmpname()'s (".NAME.tmp.PID", or
 * a bag's ".DOC.tmp.PID", ".DOC.old.PID" and ".DOC.tmp.PID.old" folders)
 * and process PID is gone.
 */
static int
dead_tmp(const char *name)
{
	size_t      n = strlen(name);
	const char *dot;
	char       *end, buf[NAME_MAX + 1];
	long        pid;

	/* ".DOC.tmp.PID.old": a bag or folder being replaced (package.c) */
	if (n > 4 && n <= NAME_MAX && strcmp(name + n - 4, ".old") == 0) {
		memcpy(buf, name, n - 4);
		buf[n - 4] = '\0';
		name = buf;
	}
	dot = strrchr(name, '.');
	if (name[0] != '.' || dot == NULL || dot - name < 5 ||
	    (strncmp(dot - 4, ".tmp", 4) != 0 && strncmp(dot - 4, ".old", 4) != 0))
		return 0;
	pid = strtol(dot + 1, &end, 10);
	if (*end != '\0' || pid <= 0 || end == dot + 1)
		return 0;
	return !pid_alive((pid_t)pid);
}

static char  **dead;		/* nftw has no context argument */
static size_t  ndead;

static int
find_dead(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level > 0 && dead_tmp(p + ftw->base)) {
		dead = wq_xrealloc(dead, (ndead + 1) * sizeof(char *));
		dead[ndead++] = wq_xstrdup(p);
	}
	return 0;
}

/*
 * wq_clear_dead_tmp: removes, under dir, the temporary files (and a bag's
 * temporary folders) that a process no longer running left: a run killed
 * mid-write, whose outputs were never renamed into place.  Those of a
 * process still running (a stage run by hand beside) are left.  Returns
 * how many were removed.
 */
size_t
wq_clear_dead_tmp(const char *dir)
{
	size_t i, n;

	dead = NULL, ndead = 0;
	nftw(dir, find_dead, 16, FTW_PHYS);
	for (i = 0; i < ndead; i++) {
		wq_rm_rf(dead[i]);
		free(dead[i]);
	}
	free(dead);
	n = ndead;
	dead = NULL, ndead = 0;
	return n;
}
