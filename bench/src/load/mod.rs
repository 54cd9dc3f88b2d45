//! `bench load`: the server under many clinics. Sets up `--clinics`
//! clinics (200 patients and 5 PCs each) on a private PostgreSQL with
//! fsync on, starts the release server as its own process (pool of 10),
//! and drives it from this process:
//!
//! 1. `--clients` PCs, each of its own clinic, pull at `--rate` per second
//!    for `--seconds` (latency from when each pull was due), each from
//!    where its last pull ended, as an online PC does; another PC of 50 of
//!    those clinics pushes one change a second (which their pulling PC
//!    then pulls); then the same pace without a token (401 before any
//!    database work): the tail this machine and HTTP stack add alone;
//! 2. the server's memory with those connections open;
//! 3. closed loops: the pull route as fast as it answers (saturation), and
//!    the same route without a token (401 before any database work: the
//!    floor of this HTTP stack and generator), in alternating windows;
//! 4. one live-event stream per PC of every clinic, and changes pushed one
//!    by one, timed until every PC of the clinic hears;
//! 5. RLS's cost per transaction against the owner with an explicit
//!    `tenant_id`, one idle pull's transaction on one connection with
//!    default and with forced-generic plan caching, and those transactions
//!    closed-loop on the server's pool size straight from this process
//!    (`db_floor_rps`: the database's ceiling for the pull route, which
//!    `db_ratio` compares the server's saturation with);
//! 6. steps 1 and 3 again through haproxy and pgbouncer (transaction mode)
//!    in front of one server process, then of three (`load-bench-scaled`
//!    lines, and their ratio).

mod drive;
mod fleet;
mod follower;
mod plans;
mod rls;
mod scaled;
pub mod server;
mod streams;

use std::time::Instant;

use clinic_server::pgcluster::PrivateCluster;
pub use drive::percentile;

const DATABASE: &str = "load";
const PATIENTS: u32 = 200;
const PCS: u32 = 5;
const POOL: u32 = 10;
const PUSHERS: usize = 50;
/// The closed loops: this many windows per side, taking turns (10 s in
/// all, as the former one window of 5 s per side).
const CLOSED_ROUNDS: usize = 5;
const CLOSED_WINDOW_S: f64 = 1.0;

#[derive(Debug, Clone)]
pub struct Options {
    pub clinics: u32,
    pub clients: usize,
    pub rate: f64,
    pub seconds: f64,
}

impl Options {
    pub fn parse(args: &[String]) -> Option<Self> {
        let mut options = Self {
            clinics: 1000,
            clients: 500,
            rate: 2000.0,
            seconds: 10.0,
        };
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            let value = rest.next()?;
            match flag.as_str() {
                "--clinics" => options.clinics = value.parse().ok()?,
                "--clients" => options.clients = value.parse().ok()?,
                "--rate" => options.rate = value.parse().ok()?,
                "--seconds" => options.seconds = value.parse().ok()?,
                _ => return None,
            }
        }
        (options.clients as u32 <= options.clinics * PCS && options.clinics > 0).then_some(options)
    }
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let cluster = PrivateCluster::start(dir.path(), true)?;
    let addr = cluster.addr.clone();
    addr.create_roles().await?;
    addr.create_database(DATABASE, None).await?;
    clinic_server::migrate::up(&addr.owner_url(DATABASE)).await?;
    let owner = sqlx::PgPool::connect(&addr.owner_url(DATABASE)).await?;
    let started = Instant::now();
    fleet::create(&owner, options.clinics, PATIENTS, PCS).await?;
    let pcs = fleet::sign_in_all(options.clinics, PCS)?;
    eprintln!(
        "load-bench: {} clinics, {} patients, {} PCs set up in {:.1} s",
        options.clinics,
        options.clinics * PATIENTS,
        pcs.len(),
        started.elapsed().as_secs_f64()
    );
    let server = server::ServerProcess::start(&addr.app_url(DATABASE), POOL).await?;
    let clients = &pcs[..options.clients];
    let connections = drive::connections(clients.len())?;
    let followers = follower::Follower::all(&server.base, &connections, clients);
    drive::warm_up(&followers).await?;
    let idle_rss = server.rss_mb()?;

    let owner_url = addr.owner_url(DATABASE);
    let reads_before = drive::position_reads(&owner_url).await?;
    // PC 1 of the first clinics pushes while their PC 0 pulls.
    let pushers: Vec<fleet::Pc> = pcs
        .iter()
        .filter(|pc| pc.device == fleet::device_id(pc.clinic, 1))
        .take(PUSHERS.min(clients.len()))
        .cloned()
        .collect();
    let mut paced = drive::paced(
        &server.base,
        &followers,
        &pushers,
        options.rate,
        options.seconds,
        PATIENTS,
        true,
    )
    .await;
    let server_rss = server.rss_mb()?;
    let mut paced_floor = drive::paced(
        &server.base,
        &followers,
        &[],
        options.rate,
        options.seconds,
        PATIENTS,
        false,
    )
    .await;
    let achieved = paced.pulls.len() as f64 / options.seconds;
    let reads = drive::position_reads(&owner_url).await? - reads_before;
    eprintln!(
        "load-bench: paced: {} pulls ({} ms), {} pushes, {reads} reads of the clinics' positions",
        paced.pulls.len(),
        drive::spread(&mut paced.pulls),
        paced.pushes.len()
    );
    eprintln!(
        "load-bench: paced against the HTTP floor (no token, no database): {} requests ({} ms)",
        paced_floor.pulls.len(),
        drive::spread(&mut paced_floor.pulls)
    );
    // CPU used in the floor's windows ([0]) and in the saturation's ([1]),
    // indexed by whether the window's pulls were signed in.
    let (mut spent, mut window_start) = (
        [server::CpuUse::default(), server::CpuUse::default()],
        server::CpuUse::default(),
    );
    let closed = drive::floor_and_saturation(
        &followers,
        CLOSED_ROUNDS,
        CLOSED_WINDOW_S,
        |signed_in, starting| {
            let now = server::CpuUse::now(&server);
            if starting {
                window_start = now;
            } else {
                spent[usize::from(signed_in)].add_between(&window_start, &now);
            }
        },
    )
    .await;
    let drive::Saturation {
        floor_rps: floor,
        saturation_rps: saturation,
        floor_errors,
        saturation_errors,
    } = closed;
    let closed_seconds = CLOSED_ROUNDS as f64 * CLOSED_WINDOW_S;
    let (at_floor, saturated) = (
        spent[0].cores_over(closed_seconds),
        spent[1].cores_over(closed_seconds),
    );
    drop((followers, connections));

    // The pushers above used PC 0 of their clinics; the streams' pushes
    // come from the last PC, with its own batch numbers.
    let propagation = streams::propagation(&server.base, &pcs, 200, PATIENTS).await?;
    let mut delays = propagation.delays;
    let rls_overhead = rls::overhead(
        &addr.app_url(DATABASE),
        &addr.owner_url(DATABASE),
        options.clinics,
        4000,
    )
    .await?;
    let (pull_us, pull_generic_us) = plans::pull_cost(&addr.app_url(DATABASE), options.clinics, 4000).await?;
    let db_floor = plans::pull_floor(&addr.app_url(DATABASE), options.clinics, POOL, 5.0).await?;
    eprintln!(
        "load-bench: one idle pull's transaction on one connection: {pull_us:.0} us with default plan caching, \
         {pull_generic_us:.0} us with generic plans forced"
    );
    eprintln!(
        "load-bench: server RSS {idle_rss:.0} MB after warm-up, {server_rss:.0} MB with {} connections; \
         {} pushes; floor errors {floor_errors}, saturation errors {saturation_errors}; \
         {} of {} streams open, {} PCs missed a change; at saturation: {saturated}; at the floor: {at_floor}",
        clients.len(),
        paced.pushes.len(),
        propagation.open,
        pcs.len(),
        propagation.missed
    );
    let floor_p99 = drive::percentile(&mut paced_floor.pulls, 99.0);
    println!(
        "load-bench: clinics={} clients={} rate_per_s={achieved:.0} pull_p50_ms={:.1} pull_p99_ms={:.1} \
         floor_p99_ms={floor_p99:.1} pull_p99_over_floor={:.2} saturation_rps={saturation:.0} floor_rps={floor:.0} saturation_ratio={:.2} db_floor_rps={db_floor:.0} \
         db_ratio={:.2} push_p99_ms={:.1} errors={} \
         server_rss_mb={server_rss:.0} streams={} event_p99_ms={:.1} rls_overhead_pct={rls_overhead:.1}",
        options.clinics,
        clients.len(),
        drive::percentile(&mut paced.pulls, 50.0),
        drive::percentile(&mut paced.pulls, 99.0),
        drive::percentile(&mut paced.pulls, 99.0) / floor_p99,
        saturation / floor,
        saturation / db_floor,
        drive::percentile(&mut paced.pushes, 99.0),
        paced.errors + saturation_errors + propagation.missed as u64,
        propagation.open,
        drive::percentile(&mut delays, 99.0),
    );
    drop(server);

    let scaled = scaled::compare(&addr, clients, options.rate, options.seconds, &[1, 3]).await?;
    for run in &scaled {
        println!("load-bench-scaled: {run}");
    }
    if let [one, three] = &scaled[..] {
        println!(
            "load-bench-scaled: three_to_one_saturation={:.2} three_to_one_pull_p99={:.2}",
            three.saturation_rps / one.saturation_rps,
            three.pull_p99_ms / one.pull_p99_ms
        );
    }
    drop(cluster);
    Ok(())
}
