//! `clinic-demo --server URL --out FILE`: creates the demo clinic and
//! writes its clinic code and sign-ins to FILE (see `demo::run`).

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let server = value("--server").unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    let out = value("--out").unwrap_or_else(|| "demo.env".to_owned());
    let demo = demo::run(&server).await?;
    std::fs::write(&out, demo.env_file())?;
    println!("{}", demo.summary());
    Ok(())
}
