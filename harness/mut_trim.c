/*
 * mut_trim.c - trimming by structure, for AFL++'s init_trim / trim /
 * post_trim protocol (AFL++ docs/custom_mutators.md).
 *
 * The elements of an input are its instances and criteria in file order
 * (an instance before its criteria), then the trailing bytes as one
 * element. Each step writes the base with one element removed (an
 * instance with its criteria, one criterion, or the trailing bytes); a
 * step the engine accepts becomes the new base, and the count of steps
 * done moves past what it removed, so trimming ends after as many steps
 * as cf_mut_trim_init announced.
 */
#include <string.h>

#include "harness.h"
#include "mut_int.h"

void
mut_trim_reset(cf_mut *m)
{
	cf_chan_free(m->trim_base);
	cf_chan_free(m->trim_cand);
	m->trim_base = m->trim_cand = NULL;
	m->trim_pos = m->trim_done = m->trim_total = m->trim_drop = 0;
	m->trim_ntail = 0;
	m->trim_cand_tail = 0;
}

size_t
cf_mut_trim_init(cf_mut *m, const uint8_t *in, size_t n)
{
	cf_chan *ch = NULL;
	size_t flen, total;

	if (m == NULL)
		return 0;
	mut_trim_reset(m);
	if (m->kind != CF_MUT_CHANNEL || in == NULL || n == 0)
		return 0;
	flen = cf_h_file_len(in, n);
	if (cf_chan_parse(in, flen, &ch, NULL) != CF_OK)
		return 0;
	if (mut_ensure(&m->trim_tail, &m->trim_tail_cap, n - flen) != CF_OK) {
		cf_chan_free(ch);
		return 0;
	}
	if (n > flen)
		memcpy(m->trim_tail, in + flen, n - flen);
	m->trim_ntail = n - flen;
	total = m->trim_ntail ? 1 : 0;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		total += 1 + (size_t)ch->instances[i].ncrit;
	m->trim_base = ch;
	m->trim_total = total;
	return total;
}

size_t
cf_mut_trim_step(cf_mut *m, const uint8_t **out)
{
	cf_chan *c = NULL;
	size_t idx = 0;
	int found = 0;

	*out = NULL;
	if (m == NULL || m->trim_base == NULL)
		return 0;
	cf_chan_free(m->trim_cand);
	m->trim_cand = NULL;
	m->trim_cand_tail = 0;
	if (m->trim_done >= m->trim_total ||
	    cf_chan_clone(m->trim_base, &c) != CF_OK)
		return 0;
	/* The element at trim_pos, instances before their criteria. */
	for (uint32_t i = 0; i < c->ninstances && !found; i++) {
		uint16_t nc = c->instances[i].ncrit;
		if (idx == m->trim_pos) {
			m->trim_drop = 1 + (size_t)nc;
			cf_chan_remove_instance(c, i);
			found = 1;
		} else if (m->trim_pos - idx - 1 < nc) {
			cf_chan_remove_criterion(
			    c, i, (uint32_t)(m->trim_pos - idx - 1));
			m->trim_drop = 1;
			found = 1;
		}
		idx += 1 + (size_t)nc;
	}
	if (!found && idx == m->trim_pos && m->trim_ntail > 0) {
		m->trim_drop = 1;
		m->trim_cand_tail = 1;
		found = 1;
	}
	m->out.len = 0;
	if (!found || cf_chan_write(c, &m->out) != CF_OK ||
	    (!m->trim_cand_tail &&
	        cf_buf_put(&m->out, m->trim_tail, m->trim_ntail) != CF_OK)) {
		cf_chan_free(c);
		m->trim_cand_tail = 0;
		return 0;
	}
	m->trim_cand = c;
	*out = m->out.data;
	return m->out.len;
}

size_t
cf_mut_trim_done(cf_mut *m, int success)
{
	if (m == NULL || m->trim_base == NULL)
		return 0;
	if (success && m->trim_cand != NULL) {
		cf_chan_free(m->trim_base);
		m->trim_base = m->trim_cand;
		m->trim_cand = NULL;
		if (m->trim_cand_tail)
			m->trim_ntail = 0;
		m->trim_done += m->trim_drop;
	} else {
		cf_chan_free(m->trim_cand);
		m->trim_cand = NULL;
		m->trim_pos++;
		m->trim_done++;
	}
	m->trim_cand_tail = 0;
	if (m->trim_done > m->trim_total)
		m->trim_done = m->trim_total;
	return m->trim_done;
}
