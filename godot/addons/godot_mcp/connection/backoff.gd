@tool
extends RefCounted
## Reconnection delays: 0.5 s doubling up to 30 s, each with +/-20 % jitter so that many editors
## restarted together do not reconnect in lockstep.

const INITIAL_DELAY := 0.5
const MAX_DELAY := 30.0
const JITTER := 0.2

var _attempt := 0


## The delay before the next attempt, in seconds; each call counts one attempt.
func next_delay() -> float:
	var base := minf(INITIAL_DELAY * pow(2.0, _attempt), MAX_DELAY)
	_attempt += 1
	return minf(base * randf_range(1.0 - JITTER, 1.0 + JITTER), MAX_DELAY)


## A connection succeeded: start again from the initial delay.
func reset() -> void:
	_attempt = 0
