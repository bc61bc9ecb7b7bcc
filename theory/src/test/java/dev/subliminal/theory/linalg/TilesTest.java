package dev.subliminal.theory.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Tiles#each}: every task once, on helpers as well as the caller, failures and nesting. */
class TilesTest {

    @Test
    void everyTaskRunsOnceWithManyCallersAtOnce() throws InterruptedException {
        int callers = 4;
        int rounds = 300;
        List<Thread> threads = new ArrayList<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < callers; c++) {
            int caller = c;
            threads.add(new Thread(() -> {
                for (int r = 0; r < rounds; r++) {
                    int count = 1 + (caller * 7 + r * 13) % 40;
                    int t = 1 + (caller + r) % 4;
                    AtomicIntegerArray runs = new AtomicIntegerArray(count);
                    Tiles.each(count, t, runs::incrementAndGet);
                    for (int i = 0; i < count; i++) {
                        if (runs.get(i) != 1) {
                            wrong.add("caller " + caller + " round " + r + ": task " + i + " of " + count + " on " + t
                                    + " threads ran " + runs.get(i) + " times");
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(t.isAlive()).as("a caller is stuck").isFalse();
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void helpersRunTasksAlongsideTheCaller() {
        // Two tasks that each wait for the other to start: they finish only if two threads run them at once.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int r = 0; r < 50; r++) {
                CountDownLatch both = new CountDownLatch(2);
                Set<Thread> ran = ConcurrentHashMap.newKeySet();
                Tiles.each(2, 2, i -> {
                    ran.add(Thread.currentThread());
                    both.countDown();
                    try {
                        assertThat(both.await(10, TimeUnit.SECONDS)).as("the other task started").isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(ran).hasSize(2).contains(Thread.currentThread());
            }
        });
    }

    @Test
    void aFailureReachesTheCallerAndLeavesNoTaskRunTwice() {
        for (int r = 0; r < 50; r++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(1000);
            int failing = r % 7;
            assertThatThrownBy(() -> Tiles.each(1000, 3, i -> {
                runs.incrementAndGet(i);
                if (i == failing) {
                    throw new ArithmeticException("task " + i);
                }
            })).satisfiesAnyOf(
                    e -> assertThat(e).isInstanceOf(ArithmeticException.class).hasMessage("task " + failing),
                    e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("a parallel kernel failed")
                            .cause().isInstanceOf(ArithmeticException.class).hasMessage("task " + failing));
            for (int i = 0; i < runs.length(); i++) {
                assertThat(runs.get(i)).as("task %d", i).isLessThanOrEqualTo(1);
            }
        }
        // On the caller alone the tasks stop at the failure.
        AtomicIntegerArray alone = new AtomicIntegerArray(100);
        assertThatThrownBy(() -> Tiles.each(100, 1, i -> {
            alone.incrementAndGet(i);
            if (i == 40) {
                throw new ArithmeticException("task 40");
            }
        })).isInstanceOf(ArithmeticException.class);
        for (int i = 0; i < 100; i++) {
            assertThat(alone.get(i)).as("task %d on one thread", i).isEqualTo(i <= 40 ? 1 : 0);
        }
        AtomicIntegerArray after = new AtomicIntegerArray(100);
        Tiles.each(100, 3, after::incrementAndGet);
        for (int i = 0; i < 100; i++) {
            assertThat(after.get(i)).as("task %d after the failures", i).isEqualTo(1);
        }
    }

    @Test
    void aTaskMayRunParallelSectionsOfItsOwn() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            AtomicIntegerArray runs = new AtomicIntegerArray(8 * 16);
            Tiles.each(8, 4, outer -> Tiles.each(16, 3, inner -> runs.incrementAndGet(outer * 16 + inner)));
            for (int i = 0; i < runs.length(); i++) {
                assertThat(runs.get(i)).as("inner task %d", i).isEqualTo(1);
            }
        });
    }
}
