# bench-stats.awk - the time-to-bug statistics of scripts/bench.sh
# (docs/BENCH.md, "How to read the tables").
#
#   awk -v cap=SEC -v base=CONFIG -f scripts/bench-stats.awk TRIALS.tsv
#
# Input: one trial per line, tab-separated:
#   bug crc config trial found trigger_s reached reach_s end_s execs sig
# found/reached are 1 or 0; trigger_s/reach_s are seconds since launch
# ("-" when not found / not reached); end_s is when the trial ended (the
# crash, the cap, or an early stop: a censoring time).
#
# Output: one line per cell (bug, crc, config), tab-separated:
#   bug crc config n found reached med_reach reach_cens med_trig trig_cens
#   rmst ratio mwu_p a12
# where
#   - med_*: the median over the n trials with every un-found trial counted
#     at the cap; *_cens is 1 when that median is itself a censored value
#     (shown as ">= cap");
#   - rmst: restricted mean survival time of time-to-trigger up to the cap,
#     from the Kaplan-Meier estimate (censored at end_s);
#   - against the baseline config (same bug and crc; "-" for the baseline
#     itself or when it is missing): ratio = baseline median / this median
#     (> 1: faster), mwu_p = two-sided Mann-Whitney U p-value of the
#     trigger times (cap counted), normal approximation with tie and
#     continuity corrections, a12 = Vargha-Delaney A12 = P(this config's
#     time < the baseline's) + P(equal)/2 (0.5: no difference, 1: always
#     faster).
BEGIN {
	FS = "\t"
	OFS = "\t"
	if (cap == "" || cap + 0 <= 0) {
		print "bench-stats.awk: -v cap=SECONDS is required" > "/dev/stderr"
		bad = 1
		exit 2
	}
	cap += 0
}

{
	key = $1 SUBSEP $2 SUBSEP $3
	if (!(key in n)) {
		order[++ncells] = key
		n[key] = 0
	}
	k = ++n[key]
	f = ($5 == 1)
	nfound[key] += f
	nreached[key] += ($7 == 1)
	trig[key, k] = f ? $6 + 0 : cap
	if (trig[key, k] > cap)
		trig[key, k] = cap
	ev[key, k] = f
	endt = $9 + 0
	if (endt > cap || f)
		endt = cap
	cens[key, k] = f ? $6 + 0 : endt
	reach[key, k] = ($7 == 1) ? $8 + 0 : cap
	if (reach[key, k] > cap)
		reach[key, k] = cap
	rev[key, k] = ($7 == 1 && $8 + 0 <= cap)
}

# Sort v[1..m] ascending (insertion sort; m is at most a few dozen).
function sort_vals(v, m,    i, j, x) {
	for (i = 2; i <= m; i++) {
		x = v[i]
		for (j = i - 1; j >= 1 && v[j] > x; j--)
			v[j + 1] = v[j]
		v[j + 1] = x
	}
}

# Median of what[key, 1..m]; sets MED_CENS when it is a censored value.
function median(what, evs, key, m,    v, w, i, med) {
	for (i = 1; i <= m; i++) {
		v[i] = what[key, i]
		w[i] = (evs[key, i] ? 0 : 1) # censored: at the cap
	}
	sort_vals(v, m)
	if (m % 2)
		med = v[(m + 1) / 2]
	else
		med = (v[m / 2] + v[m / 2 + 1]) / 2
	MED_CENS = (med >= cap)
	return med
}

# Kaplan-Meier restricted mean survival time up to the cap.
function rmst(key, m,    t, e, i, j, s, area, prev, atrisk, d, c, x, y) {
	for (i = 1; i <= m; i++) {
		t[i] = cens[key, i]
		e[i] = ev[key, i]
	}
	# sort (t, e) by t, events before censorings at equal times
	for (i = 2; i <= m; i++) {
		x = t[i]
		y = e[i]
		for (j = i - 1; j >= 1 && (t[j] > x || (t[j] == x && e[j] < y)); j--) {
			t[j + 1] = t[j]
			e[j + 1] = e[j]
		}
		t[j + 1] = x
		e[j + 1] = y
	}
	s = 1
	area = 0
	prev = 0
	atrisk = m
	i = 1
	while (i <= m && t[i] < cap) {
		area += s * (t[i] - prev)
		prev = t[i]
		d = 0
		c = 0
		for (j = i; j <= m && t[j] == t[i]; j++) {
			if (e[j])
				d++
			else
				c++
		}
		if (atrisk > 0)
			s *= 1 - d / atrisk
		atrisk -= d + c
		i = j
	}
	area += s * (cap - prev)
	return area
}

# erfc(x) for x >= 0 (Numerical Recipes erfcc, relative error < 1.2e-7).
function erfc(x,    t) {
	t = 1 / (1 + 0.5 * x)
	return t * exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + \
	    t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + \
	    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + \
	    t * 0.17087277)))))))))
}

# Mann-Whitney U of a (this cell) against b (the baseline); sets MWU_P and
# A12 (P(a < b) + P(a = b) / 2).
function mwu(a, na, b, nb,    v, g, i, j, k, N, r1, tie, x, y, u1, mu, sd, z) {
	N = na + nb
	for (i = 1; i <= na; i++) {
		v[i] = a[i]
		g[i] = 1
	}
	for (i = 1; i <= nb; i++) {
		v[na + i] = b[i]
		g[na + i] = 2
	}
	for (i = 2; i <= N; i++) {
		x = v[i]
		y = g[i]
		for (j = i - 1; j >= 1 && v[j] > x; j--) {
			v[j + 1] = v[j]
			g[j + 1] = g[j]
		}
		v[j + 1] = x
		g[j + 1] = y
	}
	r1 = 0
	tie = 0
	i = 1
	while (i <= N) {
		for (j = i; j <= N && v[j] == v[i]; j++)
			;
		# ranks i .. j-1 share their average
		for (k = i; k < j; k++)
			if (g[k] == 1)
				r1 += (i + j - 1) / 2
		tie += (j - i) ^ 3 - (j - i)
		i = j
	}
	u1 = r1 - na * (na + 1) / 2 # pairs with a > b, ties counted 1/2
	A12 = 1 - u1 / (na * nb)
	mu = na * nb / 2
	sd = na * nb / 12 * ((N + 1) - tie / (N * (N - 1)))
	if (sd <= 0) {
		MWU_P = 1
		return
	}
	sd = sqrt(sd)
	z = (u1 > mu ? u1 - mu : mu - u1) - 0.5
	if (z < 0)
		z = 0
	MWU_P = erfc(z / sd / sqrt(2))
	if (MWU_P > 1)
		MWU_P = 1
}

END {
	if (bad)
		exit 2
	for (c = 1; c <= ncells; c++) {
		key = order[c]
		split(key, kp, SUBSEP)
		m = n[key]
		mr = median(reach, rev, key, m)
		mrc = MED_CENS
		mt = median(trig, ev, key, m)
		mtc = MED_CENS
		rm = rmst(key, m)
		ratio = "-"
		p = "-"
		a12 = "-"
		bkey = kp[1] SUBSEP kp[2] SUBSEP base
		if (kp[3] != base && (bkey in n)) {
			bm = n[bkey]
			bmed = median(trig, ev, bkey, bm)
			ratio = sprintf("%.2f", bmed / (mt > 0.01 ? mt : 0.01))
			delete av
			delete bv
			for (i = 1; i <= m; i++)
				av[i] = trig[key, i]
			for (i = 1; i <= bm; i++)
				bv[i] = trig[bkey, i]
			mwu(av, m, bv, bm)
			p = sprintf("%.4f", MWU_P)
			a12 = sprintf("%.2f", A12)
		}
		print kp[1], kp[2], kp[3], m, nfound[key], nreached[key], \
		    sprintf("%.2f", mr), mrc, sprintf("%.2f", mt), mtc, \
		    sprintf("%.2f", rm), ratio, p, a12
	}
}
