fn main() {
    println!("wadash: under construction");
}
