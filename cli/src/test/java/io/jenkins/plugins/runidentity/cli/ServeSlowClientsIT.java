package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The JDK server reads each request on one of serve's {@code --threads}: as many clients sending part of their
 * headers (or announcing a body they never send) froze serve for good. A request now has to arrive within
 * {@link ServeCommand#REQUEST_SECONDS}, so serve answers again after that, whatever those clients do.
 */
public class ServeSlowClientsIT {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    private Cli cli;
    private final List<Socket> slow = new ArrayList<>();

    @After
    public void stop() throws Exception {
        for (Socket s : slow) {
            s.close();
        }
        if (cli != null) {
            cli.close();
        }
    }

    private Socket slowClient(String partial) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), cli.port);
        slow.add(s);
        OutputStream o = s.getOutputStream();
        o.write(partial.getBytes(StandardCharsets.US_ASCII));
        o.flush();
        return s;
    }

    @Test
    public void clientsThatNeverFinishTheirRequestHoldTheThreadsForABoundedTimeOnly() throws Exception {
        cli = new Cli(tmp.newFolder("state").toPath());
        cli.init();
        cli.serve("--threads", "2");
        long started = System.nanoTime();
        slowClient("GET /default/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        slowClient("POST /default/introspect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 100\r\n\r\ntoken=");
        slowClient("GET /default/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        // More than one tick of the server's timeout timer (1 s) after them, so that it is not closed with them.
        Thread.sleep(1_500);
        Cli.Http jwks = cli.http("GET", "/jwks", null, null, 30_000);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.body()).contains("\"keys\"");
        long bound = ServeCommand.REQUEST_SECONDS * 1000L + 1000; // the limit, and one tick of the timer
        assertThat(tookMillis).as("answered within the bound of %d ms after the slow clients came", bound)
                .isLessThan(bound + 3_000);
        System.out.println("serve --threads 2 with 3 clients that never finish their request: GET /jwks answered after "
                + tookMillis + " ms (limit " + ServeCommand.REQUEST_SECONDS + " s, checked every second)");
    }
}
