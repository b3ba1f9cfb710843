import type { Metadata } from "next";
import Link from "next/link";
import { ResetViewerId } from "~/components/ResetViewerId";

export const metadata: Metadata = { title: "Privacy" };

export default function PrivacyPage() {
  return (
    <article className="prose">
      <h1>Viewing statistics and your privacy</h1>
      <p>
        When you watch a stream here, the player sends anonymous playback events so organizers can see how many
        people watched, for how long, and whether the video played well. Nobody has to sign in to watch.
      </p>
      <h2>What the player sends</h2>
      <ul>
        <li>
          What happened in the player: play, pause, end, a heartbeat every 15 seconds while the video plays,
          buffering and errors, with the position in the video and, when the browser knows it, the connection type
          and the video bitrate.
        </li>
        <li>
          A random viewer id created by your browser and kept in its local storage (not a cookie), and a counter of
          events, so a batch sent twice is counted once. It is not linked to your name, account or email address.
        </li>
      </ul>
      <h2>What the server keeps</h2>
      <ul>
        <li>The events above, grouped into viewing sessions.</li>
        <li>
          The country your connection comes from and the kind of device and browser (desktop or mobile, Chrome or
          Safari), worked out when the events arrive. <strong>Your IP address is never stored</strong>; it is used
          only in memory to find the country and to limit abusive traffic.
        </li>
        <li>No cookies are set for viewers, and nothing is shared with advertisers.</li>
      </ul>
      <h2>How long</h2>
      <p>
        Raw playback events are deleted after 13 months by default (the operator sets this period with{" "}
        <code>RETENTION_MONTHS</code>), once they have been summed up. What is kept after that: one summary row per
        viewing session (the random viewer id, start and end, watch and buffering time, country, device class) and the
        totals per stream and per day.
      </p>
      <h2>Where the country comes from</h2>
      <p>
        The country is looked up in a copy of MaxMind&apos;s GeoLite2 country database kept on this server; no
        outside service is asked. This product includes GeoLite2 data created by MaxMind, available from{" "}
        <a href="https://www.maxmind.com" rel="noopener noreferrer">
          https://www.maxmind.com
        </a>{" "}
        (licensed under{" "}
        <a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="noopener noreferrer">
          CC BY-SA 4.0
        </a>
        ).
      </p>
      <h2>Your choices</h2>
      <p>
        Clearing your browser&apos;s site data removes the viewer id; the next visit starts a new, unrelated one.
        Blocking requests to <code>/api/analytics/events</code> stops the statistics and does not affect playback.
      </p>
      <ResetViewerId />
      <p>
        <Link href="/">Back to the streams</Link>
      </p>
    </article>
  );
}
