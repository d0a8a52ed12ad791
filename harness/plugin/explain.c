// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench explain: a QEMU TCG plugin that counts executed guest
 * instructions per guest PC while dmabench.ko measures an explain request.
 *
 * dmabench.ko brackets each measured batch of a request that asks for it
 * with marker instructions, long NOPs that nothing else emits:
 *   arm     0f 1f 80 44 4d 42 31   nopl 0x31424d44(%rax)  ("DMB1")
 *   pause   0f 1f 80 44 4d 42 30   nopl 0x30424d44(%rax)  ("DMB0")
 *   end     0f 1f 80 44 4d 42 32   nopl 0x32424d44(%rax)  ("DMB2")
 * (arm before a batch, pause after it, end after the last). While armed, every time-stamp counter read (rdtsc 0f 31, rdtscp
 * 0f 01 f9) within 1 MiB of the arm marker, i.e. in dmabench.ko's own
 * loops, opens or closes a window: windows 1, 3, 5, ... are what the
 * module's map figure counts, windows 2, 4, ... its unmap figure. A window
 * holds the instruction that read the counter first and not the one that
 * read it last, exactly what the difference of the two readings counts
 * under -icount shift=0. Everything else executed while armed (the loop's
 * error checks, batch bookkeeping, interrupts between windows) is "out".
 *
 * Under icount the counter is QEMU's one virtual clock, which every vCPU's
 * instructions advance: when TCG's round robin runs another vCPU while
 * the measuring one is inside a window, the reading counts those too. So
 * an instruction of a vCPU that is not armed, executed while exactly one
 * armed vCPU is inside a window, is counted for that window, apart
 * ("other" columns). Several measuring vCPUs at once (threads > 1) share
 * the clock the same way and are not exact.
 *
 * With callees: inside its windows, each armed vCPU keeps a shadow call
 * stack. A call instruction (e8, or ff /2, after prefixes) pushes its return
 * address; the next instruction executed is the callee's entry. Reaching a
 * return address on the stack pops to it, however the return was made (ret,
 * a return thunk's jmp, a retpoline); a tail call stays in its caller's
 * frame. Each distinct path of (call site, callee entry) from the window's
 * first instruction is a context node; instructions are counted per
 * (context, PC). The host names the PCs and, for each function, adds every
 * instruction executed while the function is on the path: its figure with
 * callees. The stack starts empty at every window (the module's loop).
 *
 * When every vCPU that armed has ended, the session is written to the output
 * file and the counters are cleared:
 *   session N windows W
 *   PC MAP UNMAP OUT OMAP OUNMAP   (hex PC, decimal counts; OMAP and
 *                           OUNMAP: other vCPUs' instructions in windows)
 *   node ID PARENT SITE ENTRY     (a context: parent's ID, -1 for the root;
 *                           hex call site and callee entry; the root's
 *                           entry is the counter read that opened a window)
 *   ctx ID PC MAP UNMAP     (the armed vCPU's own window instructions)
 *   overflow N              (calls deeper than the stack: contexts inexact)
 *   end N
 * Arguments: out=FILE (required).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

enum kind { K_PLAIN, K_ARM, K_PAUSE, K_END, K_TSC };

struct rec {
	uint64_t pc;
	uint64_t n[5];		/* map, unmap, out, other map, other unmap */
	struct rec *next;	/* hash chain */
	struct rec *all;	/* every record */
	int kind;
	int is_call;
	unsigned int size;
};

#define MAX_DEPTH 256

struct frame {
	uint64_t ret;
	int node;
};

struct vcpu {
	int joined;
	int armed;
	int in;
	uint64_t windows;
	uint64_t arm_pc;
	int depth;
	int pending;		/* the last instruction was a call */
	uint64_t pending_site, pending_ret;
	struct frame stack[MAX_DEPTH];
};

/* A calling context: the path of (call site, callee entry) from a window. */
struct node {
	int parent;
	uint64_t site, entry;
};

/* Instructions of one PC executed in one context. */
struct ctx {
	int node;
	uint64_t pc;
	uint64_t n[2];		/* map, unmap */
	struct ctx *next;
	struct ctx *all;
};

#define NBUCKETS (1u << 18)
#define MAX_VCPUS 64
#define NEAR (1ull << 20)

static struct rec *buckets[NBUCKETS];
static struct rec *all_recs;
static struct vcpu vcpus[MAX_VCPUS];
static int joined_vcpus;
static int in_window;		/* armed vCPUs inside a window */
static struct vcpu *window_owner;	/* the one, when in_window == 1 */
static uint64_t session_windows;
static unsigned long session;
static FILE *out;

#define CTX_BUCKETS (1u << 16)
static struct node *nodes;
static int nnodes, node_cap;
static struct ctx *ctx_buckets[CTX_BUCKETS];
static struct ctx *all_ctx;
static uint64_t overflows;

static const unsigned char arm_bytes[] = { 0x0f, 0x1f, 0x80, 0x44, 0x4d, 0x42, 0x31 };
static const unsigned char pause_bytes[] = { 0x0f, 0x1f, 0x80, 0x44, 0x4d, 0x42, 0x30 };
static const unsigned char end_bytes[] = { 0x0f, 0x1f, 0x80, 0x44, 0x4d, 0x42, 0x32 };

/* A near call: e8 rel32, or ff /2 (indirect), after legacy and REX prefixes. */
static int is_call(const unsigned char *b, size_t len)
{
	size_t i = 0;

	while (i < len && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0x2e || b[i] == 0x3e ||
			   b[i] == 0x26 || b[i] == 0x36 || b[i] == 0x64 || b[i] == 0x65 ||
			   b[i] == 0xf2 || b[i] == 0xf3 || b[i] == 0xf0))
		i++;
	if (i < len && (b[i] & 0xf0) == 0x40)
		i++;
	if (i >= len)
		return 0;
	if (b[i] == 0xe8)
		return 1;
	return b[i] == 0xff && i + 1 < len && ((b[i + 1] >> 3) & 7) == 2;
}

static int node_of(int parent, uint64_t site, uint64_t entry)
{
	/* Contexts are few (tens to hundreds per request): a scan will do. */
	for (int i = nnodes - 1; i >= 0; i--)
		if (nodes[i].parent == parent && nodes[i].site == site && nodes[i].entry == entry)
			return i;
	if (nnodes == node_cap) {
		node_cap = node_cap ? node_cap * 2 : 256;
		nodes = realloc(nodes, node_cap * sizeof(*nodes));
		if (!nodes)
			abort();
	}
	nodes[nnodes] = (struct node){ parent, site, entry };
	return nnodes++;
}

static struct ctx *ctx_of(int node, uint64_t pc)
{
	unsigned int h = (unsigned int)(((pc ^ ((uint64_t)node << 40)) * 0x9e3779b97f4a7c15ull) >> 48) &
			 (CTX_BUCKETS - 1);
	struct ctx *c;

	for (c = ctx_buckets[h]; c; c = c->next)
		if (c->pc == pc && c->node == node)
			return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->node = node;
	c->pc = pc;
	c->next = ctx_buckets[h];
	ctx_buckets[h] = c;
	c->all = all_ctx;
	all_ctx = c;
	return c;
}

/* The armed vCPU @v executes @r inside window kind @k (0 map, 1 unmap). */
static void ctx_step(struct vcpu *v, struct rec *r, int k)
{
	int top;

	if (v->pending) {
		v->pending = 0;
		if (v->depth < MAX_DEPTH) {
			top = v->depth ? v->stack[v->depth - 1].node : 0;
			v->stack[v->depth].ret = v->pending_ret;
			v->stack[v->depth].node = node_of(top, v->pending_site, r->pc);
			v->depth++;
		} else {
			overflows++;
		}
	} else {
		for (int i = v->depth; i > 0; i--)
			if (v->stack[i - 1].ret == r->pc) {
				v->depth = i - 1;
				break;
			}
	}
	top = v->depth ? v->stack[v->depth - 1].node : 0;
	ctx_of(top, r->pc)->n[k]++;
	if (r->is_call) {
		v->pending = 1;
		v->pending_site = r->pc;
		v->pending_ret = r->pc + r->size;
	}
}

static struct rec *lookup(uint64_t pc, const unsigned char *b, size_t len)
{
	unsigned int h = (unsigned int)((pc * 0x9e3779b97f4a7c15ull) >> 46) & (NBUCKETS - 1);
	struct rec *r;

	for (r = buckets[h]; r; r = r->next)
		if (r->pc == pc)
			return r;
	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->pc = pc;
	if (len == sizeof(arm_bytes) && !memcmp(b, arm_bytes, len))
		r->kind = K_ARM;
	else if (len == sizeof(pause_bytes) && !memcmp(b, pause_bytes, len))
		r->kind = K_PAUSE;
	else if (len == sizeof(end_bytes) && !memcmp(b, end_bytes, len))
		r->kind = K_END;
	else if ((len == 2 && b[0] == 0x0f && b[1] == 0x31) ||
		 (len == 3 && b[0] == 0x0f && b[1] == 0x01 && b[2] == 0xf9))
		r->kind = K_TSC;
	r->is_call = is_call(b, len);
	r->size = (unsigned int)len;
	r->next = buckets[h];
	buckets[h] = r;
	r->all = all_recs;
	all_recs = r;
	return r;
}

static void dump_session(void)
{
	struct rec *r;

	fprintf(out, "session %lu windows %" PRIu64 "\n", session, session_windows);
	for (r = all_recs; r; r = r->all) {
		if (!r->n[0] && !r->n[1] && !r->n[2] && !r->n[3] && !r->n[4])
			continue;
		fprintf(out, "%" PRIx64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
			r->pc, r->n[0], r->n[1], r->n[2], r->n[3], r->n[4]);
		memset(r->n, 0, sizeof(r->n));
	}
	for (int i = 0; i < nnodes; i++)
		fprintf(out, "node %d %d %" PRIx64 " %" PRIx64 "\n", i, nodes[i].parent,
			nodes[i].site, nodes[i].entry);
	while (all_ctx) {
		struct ctx *c = all_ctx;

		fprintf(out, "ctx %d %" PRIx64 " %" PRIu64 " %" PRIu64 "\n", c->node, c->pc,
			c->n[0], c->n[1]);
		all_ctx = c->all;
		free(c);
	}
	memset(ctx_buckets, 0, sizeof(ctx_buckets));
	nnodes = 0;
	if (overflows)
		fprintf(out, "overflow %" PRIu64 "\n", overflows);
	overflows = 0;
	fprintf(out, "end %lu\n", session);
	fflush(out);
	session++;
}

static void exec(unsigned int vcpu_index, void *udata)
{
	struct rec *r = udata;
	struct vcpu *v;

	if (vcpu_index >= MAX_VCPUS)
		return;
	v = &vcpus[vcpu_index];
	if (!v->armed && in_window == 1 && (r->kind == K_PLAIN || r->kind == K_TSC)) {
		r->n[(window_owner->windows & 1) ? 3 : 4]++;
		return;
	}
	if (r->kind == K_ARM) {
		if (v->in) {
			in_window--;
			v->in = 0;
		}
		if (!v->joined) {
			if (!joined_vcpus++)
				session_windows = 0;
			v->joined = 1;
			v->windows = 0;
		}
		v->armed = 1;
		v->arm_pc = r->pc;
		return;
	}
	if (r->kind == K_END && v->joined) {
		if (v->in)
			in_window--;
		v->in = 0;
		v->joined = 0;
		v->armed = 0;
		if (!--joined_vcpus)
			dump_session();
		return;
	}
	if (!v->armed)
		return;
	if (r->kind == K_PAUSE) {
		if (v->in)
			in_window--;
		v->in = 0;
		v->armed = 0;
		return;
	}
	if (r->kind == K_TSC &&
	    (r->pc > v->arm_pc ? r->pc - v->arm_pc : v->arm_pc - r->pc) < NEAR) {
		v->in = !v->in;
		if (v->in) {
			v->windows++;
			session_windows++;
			in_window++;
			window_owner = v;
			/* the root context: the module's loop, from this counter read */
			if (!nnodes)
				node_of(-1, 0, r->pc);
			v->depth = 0;
			v->pending = 0;
		} else {
			in_window--;
		}
	}
	if (v->in) {
		r->n[(v->windows & 1) ? 0 : 1]++;
		ctx_step(v, r, (v->windows & 1) ? 0 : 1);
	} else
		r->n[2]++;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);
		struct rec *r;

		r = lookup(pc, qemu_plugin_insn_data(insn), qemu_plugin_insn_size(insn));
		qemu_plugin_register_vcpu_insn_exec_cb(insn, exec, QEMU_PLUGIN_CB_NO_REGS, r);
	}
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
	(void)id;
	(void)p;
	if (out)
		fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;

	(void)info;
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
	if (!path) {
		fprintf(stderr, "explain plugin: out=FILE is required\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
